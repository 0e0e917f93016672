import PorticoSchema
import Testing

@Suite("Parser: services and google.api.http")
struct ServiceParsingTests {
    /// A method body's options and the rule they make.
    static let httpCases: [(options: String, rule: HttpRule)] = [
        (#"option (google.api.http) = { get: "/v1/a/{id}" };"#, HttpRule(pattern: .get("/v1/a/{id}"))),
        (#"option (google.api.http) = { put: "/v1/a" body: "*" };"#, HttpRule(pattern: .put("/v1/a"), body: "*")),
        (#"option (google.api.http) = { post: "/v1/a", body: "item"; response_body: "result" };"#,
         HttpRule(pattern: .post("/v1/a"), body: "item", responseBody: "result")),
        (#"option (google.api.http) = { delete: "/v1/" "a" };"#, HttpRule(pattern: .delete("/v1/a"))),
        (#"option (google.api.http) = { patch: '/v1/a' body: "*" selector: "t.S.M" };"#,
         HttpRule(selector: "t.S.M", pattern: .patch("/v1/a"), body: "*")),
        (#"option (google.api.http) = { custom { kind: "HEAD" path: "/v1/a" } };"#,
         HttpRule(pattern: .custom(kind: "HEAD", path: "/v1/a"))),
        (#"option (google.api.http) = { custom: < kind: "OPTIONS", path: "/v1/a" > };"#,
         HttpRule(pattern: .custom(kind: "OPTIONS", path: "/v1/a"))),
        (#"option (google.api.http).get = "/v1/a"; option (google.api.http).body = "*";"#,
         HttpRule(pattern: .get("/v1/a"), body: "*")),
        (#"option (.google.api.http).custom.kind = "HEAD"; option (google.api.http).custom.path = "/x";"#,
         HttpRule(pattern: .custom(kind: "HEAD", path: "/x"))),
        ("""
         option (google.api.http) = {
           get: "/v1/a"
           additional_bindings { get: "/v1/b" additional_bindings { get: "/v1/c" } }
           additional_bindings: [{ post: "/v1/d" body: "*" }, { delete: "/v1/e" }]
         };
         """,
         HttpRule(pattern: .get("/v1/a"), additionalBindings: [
             HttpRule(pattern: .get("/v1/b"), additionalBindings: [HttpRule(pattern: .get("/v1/c"))]),
             HttpRule(pattern: .post("/v1/d"), body: "*"),
             HttpRule(pattern: .delete("/v1/e")),
         ])),
    ]

    @Test(arguments: httpCases)
    func httpRule(_ options: String, _ rule: HttpRule) throws {
        let pool = try ParserHarness.load("""
            syntax = "proto3";
            package t;
            import "google/api/annotations.proto";
            message R {}
            service S { rpc M(R) returns (R) { \(options) } }
            """).pool
        #expect(pool.method(named: "t.S.M")?.method.httpRule == rule)
    }

    @Test func methodsStreamingAndOptions() throws {
        let service = try ParserHarness.load("""
            syntax = "proto3";
            package t;
            message R {}
            service S {
              option deprecated = true;
              rpc Unary(R) returns (R);
              rpc Client(stream R) returns (.t.R) {}
              rpc Server(R) returns (stream R) { option deprecated = true; option idempotency_level = IDEMPOTENT; }
              rpc Both(stream t.R) returns (stream R) { ; }
            }
            """).pool.services["t.S"]
        #expect(service?.methods == [
            .init(name: "Unary", inputType: "t.R", outputType: "t.R"),
            .init(name: "Client", inputType: "t.R", outputType: "t.R", clientStreaming: true),
            .init(name: "Server", inputType: "t.R", outputType: "t.R", serverStreaming: true, isDeprecated: true),
            .init(name: "Both", inputType: "t.R", outputType: "t.R", clientStreaming: true, serverStreaming: true),
        ])
    }
}
