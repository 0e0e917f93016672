import PorticoRouting
import Testing

/// The routing cases of `shared/research/anchors-features.md` §4 (HttpRule doc comments, and
/// grpc-httpjson-transcoding's `path_matcher_test.cc`, the matcher Envoy uses).
@Suite struct ConformanceTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var number: Int
        var routes: [String]
        var requests: [(String, Outcome)]
        var testDescription: String { "case \(number)" }

        init(_ number: Int, _ routes: [String], _ requests: [(String, Outcome)]) {
            self.number = number
            self.routes = routes
            self.requests = requests
        }
    }

    static let get = RouteTableHarness.get

    static let reserved = "%21%23%24%26%27%28%29%2A%2B%2C%2F%3A%3B%3D%3F%40%5B%5D"

    static let cases: [Case] = [
        Case(1, ["/v1/{name=messages/*}"], [
            ("/v1/messages/123456", get("/v1/{name=messages/*}", "name=messages/123456")),
        ]),
        Case(3, ["/v1/messages/{message_id}/{sub.subfield}"], [
            ("/v1/messages/123456/foo",
             get("/v1/messages/{message_id}/{sub.subfield}", "message_id=123456", "sub.subfield=foo")),
        ]),
        Case(7, ["/v1/messages/{message_id}", "/v1/users/{user_id}/messages/{message_id}"], [
            ("/v1/messages/123456", get("/v1/messages/{message_id}", "message_id=123456")),
            ("/v1/users/me/messages/123456",
             get("/v1/users/{user_id}/messages/{message_id}", "user_id=me", "message_id=123456")),
        ]),
        Case(10, ["/a/{x}/c"], [
            ("/a/p%20q%2Fr+/c", get("/a/{x}/c", "x=p q/r+")),
        ]),
        Case(11, ["/a/{x=p/*/q/*}/c"], [
            ("/a/p/foo%20foo/q/bar%2Fbar/c", get("/a/{x=p/*/q/*}/c", "x=p/foo foo/q/bar%2Fbar")),
        ]),
        Case(12, ["/a/{x=*}/{y=**}/c"], [
            ("/a/\(reserved)/\(reserved)/c",
             get("/a/{x=*}/{y=**}/c", "x=!#$&'()*+,/:;=?@[]", "y=\(reserved)")),
        ]),
        Case(13, ["/**"], [
            ("/", get("/**")), ("/a", get("/**")), ("/a/", get("/**")),
        ]),
        Case(14, ["/c/*/d/**"], [
            ("/c/u/d/v", get("/c/*/d/**")), ("/c/v/d/w/x", get("/c/*/d/**")),
            ("/c/x/y/d/z", .notFound), ("/c//v/d/w/x", .notFound),
        ]),
        Case(15, ["/c/*/d/e", "/c/f/d/e"], [
            ("/c/f/d/e", get("/c/f/d/e")), ("/c/x/d/e", get("/c/*/d/e")),
        ]),
        Case(16, ["/{x=a/*}/b/{y=*}/c"], [
            ("/a/hello/b/world/c", get("/{x=a/*}/b/{y=*}/c", "x=a/hello", "y=world")),
        ]),
        Case(17, ["/a/{x=b/*}/{y=d/**}"], [
            ("/a/b/zoo/d/animal/tiger", get("/a/{x=b/*}/{y=d/**}", "x=b/zoo", "y=d/animal/tiger")),
        ]),
        Case(18, ["/{x=**}/a/b", "/a/{x=b/**}/y/z"], [
            ("/foo/bar/a/b", get("/{x=**}/a/b", "x=foo/bar")),
            ("/a/b/world/c/y/z", get("/a/{x=b/**}/y/z", "x=b/world/c")),
        ]),
        Case(19, ["/person", "/person/{id=*}", "/{x=**}:verb"], [
            ("/person:verb", get("/{x=**}:verb", "x=person")),
            ("/person/jason:verb", get("/{x=**}:verb", "x=person/jason")),
            ("/person/jason:other", get("/person/{id=*}", "id=jason:other")),
            ("/person:other", .notFound),
            ("/animal/cat", .notFound),
            ("/animal:verb", get("/{x=**}:verb", "x=animal")),
            ("/person", get("/person")),
        ]),
        Case(21, ["/{a=**}:verb", "/{a=**}"], [
            ("/some:verb/const:verb", get("/{a=**}:verb", "a=some:verb/const")),
            ("/some:verb/const", get("/{a=**}", "a=some:verb/const")),
            ("/some:verb2/const:verb2", get("/{a=**}", "a=some:verb2/const:verb2")),
        ]),
        Case(22, ["/{a=*}/{b=*}:verb"], [
            ("/some:verb/const:verb", get("/{a=*}/{b=*}:verb", "a=some:verb", "b=const")),
        ]),
        Case(22, ["/foo/{a=*}"], [
            ("/foo/other:verb", get("/foo/{a=*}", "a=other:verb")),
        ]),
        Case(23, ["/some/*:verb"], [
            ("/some/other:verb/", .notFound), ("/some/other:verb", get("/some/*:verb")),
        ]),
        Case(24, ["/prefix/middle/suffix", "/prefix/middle", "/prefix"], [
            ("/prefix/middle/suffix/other", .notFound), ("/prefix/other", .notFound),
            ("/prefix/middle/other", .notFound), ("/other", .notFound),
            ("/prefix/middle", get("/prefix/middle")),
        ]),
        Case(29, ["/a/**/x"], [
            ("/a/" + String(repeating: "/", count: 64_000) + "/x", get("/a/**/x")),
            ("/a/" + String(repeating: "/", count: 64_000) + "/y", .notFound),
        ]),
    ]

    @Test(arguments: cases)
    func matchesAsTheReference(_ testCase: Case) throws {
        let table = try RouteTableHarness.getTable(testCase.routes)
        for (target, expected) in testCase.requests {
            #expect(RouteTableHarness.outcome(table, "GET", target) == expected, "\(target)")
        }
    }

    /// Case 25: a path known only under another method is a 405 (grpc-gateway), not a silent 404.
    @Test func otherMethodIsMethodNotAllowed() throws {
        let table = try RouteTableHarness.getTable(["/a/b"])
        #expect(RouteTableHarness.outcome(table, "POST", "/a/b") == .methodNotAllowed(["GET"]))
    }

    /// Case 30: the same template twice is rejected when the table is built, naming both routes.
    @Test func duplicateTemplateIsRejected() throws {
        #expect(throws: RouteTableError(conflicts: [RouteConflict(
            firstRoute: 0, secondRoute: 1,
            message: "\"GET /a/b\" conflicts with \"GET /a/b\": both are GET /a/b and match the same requests")])) {
            try RouteTableHarness.getTable(["/a/b", "/a/b"])
        }
    }

    /// Cases 2, 4, 26: query strings; case 27 with `+` kept (Envoy's default) and as a space (Portico's default).
    @Test func queryStrings() throws {
        let parse = { (query: Substring, plus: Bool) in
            try QueryStringParser.parse(query, plusAsSpace: plus).map(\.description)
        }
        #expect(try parse("revision=2&sub.subfield=foo", true) == ["revision=2", "sub.subfield=foo"])
        #expect(try parse("param=A&param=B", true) == ["param=A", "param=B"])
        #expect(try parse("x=Hello%20world", true) == ["x=Hello world"])
        #expect(try parse("x=%24%25%2F%20%0A", true) == ["x=$%/ \n"])
        #expect(try parse("x=Hello+world&y=%2B+%20", false) == ["x=Hello+world", "y=++ "])
        #expect(try parse("x=Hello+world&y=%2B+%20", true) == ["x=Hello world", "y=+  "])
    }
}
