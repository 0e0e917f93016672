import PorticoRouting
import PorticoSchema
import Testing

@Suite struct HttpRuleCompilerTests {
    static let service = "demo.v1.Messaging"

    static func source(_ method: String, _ rule: HttpRule, origin: String = "rules.yaml") -> HttpRuleSource {
        HttpRuleSource(selector: "\(service).\(method)", rule: rule, origin: origin)
    }

    static func diagnostics(_ sources: [HttpRuleSource]) -> [String] {
        do {
            _ = try HttpRuleCompiler.compile(sources, schema: SchemaFixture.pool)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func compilesTheSpecExamples() throws {
        let table = try HttpRuleCompiler.compile([
            Self.source("GetMessage", HttpRule(
                pattern: .get("/v1/messages/{messageId}"),
                additionalBindings: [HttpRule(pattern: .get("/v1/users/{user_id}/messages/{message_id}"))])),
            Self.source("UpdateMessage", HttpRule(pattern: .patch("/v1/messages/{message_id}"), body: "message")),
            Self.source("CreateMessage", HttpRule(
                pattern: .custom(kind: "PUT", path: "/v1/messages/{message_id}"), body: "*", responseBody: "text")),
            Self.source("StreamMessages", HttpRule(pattern: .get("/v1/{sub.subfield=streams/*}:watch"))),
        ], schema: SchemaFixture.pool)

        guard case .matched(let get) = table.match(method: "GET", path: "/v1/messages/123456?revision=2") else {
            Issue.record("GET did not match")
            return
        }
        #expect(get.bindings == [FieldBinding(fieldPath: ["message_id"], value: "123456")])
        #expect(get.route.value == RouteTarget(
            selector: "demo.v1.Messaging.GetMessage", grpcPath: "/demo.v1.Messaging/GetMessage",
            inputType: "demo.v1.GetMessageRequest", outputType: "demo.v1.Message"))
        #expect(get.query == "revision=2")

        guard case .matched(let users) = table.match(method: "GET", path: "/v1/users/me/messages/123456") else {
            Issue.record("additional binding did not match")
            return
        }
        #expect(users.bindings.map(\.description) == ["user_id=me", "message_id=123456"])
        #expect(users.route.origin == "rules.yaml additional_bindings[0]")

        guard case .matched(let patch) = table.match(method: "PATCH", path: "/v1/messages/7") else {
            Issue.record("PATCH did not match")
            return
        }
        #expect(patch.route.value.body == .field("message"))
        #expect(patch.route.body == "message")

        guard case .matched(let put) = table.match(method: "PUT", path: "/v1/messages/7") else {
            Issue.record("PUT did not match")
            return
        }
        #expect(put.route.value.body == .wholeMessage)
        #expect(put.route.value.responseBody == "text")

        guard case .matched(let watch) = table.match(method: "GET", path: "/v1/streams/s1:watch") else {
            Issue.record("verb route did not match")
            return
        }
        #expect(watch.bindings.map(\.description) == ["sub.subfield=streams/s1"])
        #expect(watch.route.value.serverStreaming)

        #expect({ if case .methodNotAllowed(let allowed) = table.match(method: "DELETE", path: "/v1/messages/7") {
            return allowed
        }; return [] }() == ["GET", "PATCH", "PUT"])
    }

    @Test func acceptsWrappersEnumsAndScalarsAsPathVariables() {
        #expect(Self.diagnostics([
            Self.source("GetMessage", HttpRule(pattern: .get("/v1/{wrapped}/{color}/{revision}/{sub.subfield}"))),
        ]) == [])
    }

    @Test func readsAnnotations() throws {
        let sources = HttpRuleSource.annotations(in: SchemaFixture.pool)
        #expect(sources == [HttpRuleSource(
            selector: "demo.v1.Messaging.GetMessage", rule: HttpRule(pattern: .get("/v1/messages/{message_id}")),
            origin: SchemaFixture.file)])
        let table = try HttpRuleCompiler.compile(sources, schema: SchemaFixture.pool)
        #expect(table.routes.count == 1)
    }

    static let invalidRules: [(HttpRuleSource, [String])] = [
        (HttpRuleSource(selector: "demo.v1.Nope.Get", rule: HttpRule(pattern: .get("/x")), origin: "a.yaml:1:3"),
         ["a.yaml:1:3: demo.v1.Nope.Get: unknown method: the schema has no service \"demo.v1.Nope\""]),
        (source("Missing", HttpRule(pattern: .get("/x"))),
         ["rules.yaml: demo.v1.Messaging.Missing: unknown method: service demo.v1.Messaging has no method \"Missing\""]),
        (HttpRuleSource(selector: "Foo", rule: HttpRule(pattern: .get("/x")), origin: "rules.yaml"),
         ["rules.yaml: Foo: \"Foo\" is not a full method name (package.Service.Method)"]),
        (source("GetMessage", HttpRule(pattern: nil)),
         ["rules.yaml: demo.v1.Messaging.GetMessage: the rule has no pattern (get, put, post, delete, patch or custom)"]),
        (source("GetMessage", HttpRule(pattern: .get("/v1/{message_id"))),
         ["rules.yaml: demo.v1.Messaging.GetMessage: invalid path template \"/v1/{message_id\": \"{\" at offset 4 is never closed"]),
        (source("GetMessage", HttpRule(pattern: .get("/v1/{nope}"))),
         ["rules.yaml: demo.v1.Messaging.GetMessage: path variable \"nope\": message demo.v1.GetMessageRequest has no field \"nope\""]),
        (source("GetMessage", HttpRule(pattern: .get("/v1/{tags}"))),
         ["rules.yaml: demo.v1.Messaging.GetMessage: path variable \"tags\": field \"tags\" of demo.v1.GetMessageRequest is repeated; path variables cannot bind or cross repeated or map fields"]),
        (source("GetMessage", HttpRule(pattern: .get("/v1/{labels}"))),
         ["rules.yaml: demo.v1.Messaging.GetMessage: path variable \"labels\": field \"labels\" of demo.v1.GetMessageRequest is a map; path variables cannot bind or cross repeated or map fields"]),
        (source("GetMessage", HttpRule(pattern: .get("/v1/{subs.subfield}"))),
         ["rules.yaml: demo.v1.Messaging.GetMessage: path variable \"subs.subfield\": field \"subs\" of demo.v1.GetMessageRequest is repeated; path variables cannot bind or cross repeated or map fields"]),
        (source("GetMessage", HttpRule(pattern: .get("/v1/{sub}"))),
         ["rules.yaml: demo.v1.Messaging.GetMessage: path variable \"sub\": field \"sub\" of demo.v1.GetMessageRequest is a message (demo.v1.Sub); a path variable must bind a scalar, enum or wrapper field"]),
        (source("GetMessage", HttpRule(pattern: .get("/v1/{revision.x}/{color.y}"))),
         ["rules.yaml: demo.v1.Messaging.GetMessage: path variable \"revision.x\": field \"revision\" of demo.v1.GetMessageRequest is an int64, not a message, so it has no field \"x\"",
          "rules.yaml: demo.v1.Messaging.GetMessage: path variable \"color.y\": field \"color\" of demo.v1.GetMessageRequest is an enum (demo.v1.Color), not a message, so it has no field \"y\""]),
        (source("GetMessage", HttpRule(pattern: .get("/v1/{sub.nope}"), body: "nope", responseBody: "nada")),
         ["rules.yaml: demo.v1.Messaging.GetMessage: path variable \"sub.nope\": message demo.v1.Sub has no field \"nope\"",
          "rules.yaml: demo.v1.Messaging.GetMessage: body \"nope\": message demo.v1.GetMessageRequest has no field \"nope\"",
          "rules.yaml: demo.v1.Messaging.GetMessage: response_body \"nada\": message demo.v1.Message has no field \"nada\""]),
        (source("UpdateMessage", HttpRule(pattern: .patch("/v1/{message_id}"), body: "message.text")),
         ["rules.yaml: demo.v1.Messaging.UpdateMessage: body \"message.text\": must name a top-level field of demo.v1.UpdateMessageRequest; the HttpRule spec allows no nested path"]),
        (source("GetMessage", HttpRule(pattern: .custom(kind: "GE T", path: "/x"))),
         ["rules.yaml: demo.v1.Messaging.GetMessage: custom kind \"GE T\" is not an HTTP method (a token such as HEAD, or *)"]),
        (source("GetMessage", HttpRule(pattern: .get("/x"), additionalBindings: [
            HttpRule(pattern: .get("/y/{nope}")),
            HttpRule(pattern: .get("/z"), additionalBindings: [HttpRule(pattern: .get("/w"))]),
        ])),
         ["rules.yaml: demo.v1.Messaging.GetMessage: additional_bindings[0]: path variable \"nope\": message demo.v1.GetMessageRequest has no field \"nope\"",
          "rules.yaml: demo.v1.Messaging.GetMessage: additional_bindings[1]: an additional binding cannot have additional_bindings of its own"]),
    ]

    @Test(arguments: invalidRules)
    func reportsRuleErrors(source: HttpRuleSource, expected: [String]) {
        #expect(Self.diagnostics([source]) == expected)
    }

    @Test func reportsEveryErrorAtOnceIncludingConflicts() {
        let diagnostics = Self.diagnostics([
            Self.source("GetMessage", HttpRule(pattern: .get("/v1/messages/{message_id}")), origin: "a.proto"),
            Self.source("Missing", HttpRule(pattern: .get("/x"))),
            Self.source("StreamMessages", HttpRule(pattern: .get("/v1/messages/{user_id}")), origin: "b.yaml:4:7"),
            Self.source("CreateMessage", HttpRule(pattern: .post("/v1/{text}"), body: "nope")),
        ])
        #expect(diagnostics == [
            "rules.yaml: demo.v1.Messaging.Missing: unknown method: service demo.v1.Messaging has no method \"Missing\"",
            "rules.yaml: demo.v1.Messaging.CreateMessage: body \"nope\": message demo.v1.Message has no field \"nope\"",
            "b.yaml:4:7: demo.v1.Messaging.StreamMessages: \"GET /v1/messages/{user_id}\" (b.yaml:4:7) conflicts with "
                + "\"GET /v1/messages/{message_id}\" (a.proto): both are GET /v1/messages/* and match the same requests",
        ])
    }

    /// Case 8: a configured rule replaces the annotation of its selector; the last configured rule wins.
    @Test func configuredRulesOverrideAnnotations() {
        let annotations = HttpRuleSource.annotations(in: SchemaFixture.pool)
        let configured = [
            Self.source("GetMessage", HttpRule(pattern: .get("/v2/messages/{message_id}")), origin: "a.yaml:3:7"),
            Self.source("CreateMessage", HttpRule(pattern: .post("/v2/messages"), body: "*"), origin: "a.yaml:9:7"),
            Self.source("GetMessage", HttpRule(pattern: .get("/v3/messages/{message_id}")), origin: "b.yaml:2:7"),
        ]
        let rules = HttpRuleSource.effectiveRules(annotations: annotations, configured: configured)
        #expect(rules.map(\.origin) == ["a.yaml:9:7", "b.yaml:2:7"])
        #expect(HttpRuleSource.effectiveRules(annotations: annotations, configured: []) == annotations)
    }
}
