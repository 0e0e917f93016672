import PorticoRouting
import Testing

/// Precedence, backtracking, verbs and methods, ported from grpc-httpjson-transcoding's `path_matcher_test.cc`
/// and extended with what Portico adds (405, conflicts, strict escapes).
@Suite struct RouteTableTests {
    static let get = RouteTableHarness.get

    static let variableTemplates = [
        "/a/{x}/c/d/e", "/{x=a/*}/b/{y=*}/c", "/a/{x=b/*}/{y=d/**}", "/alpha/{x=*}/beta/{y=**}/gamma", "/{x=*}/a",
        "/{x=**}/a/b", "/a/b/{x=*}", "/a/b/c/{x=**}", "/{x=*}/d/e/f/{y=**}",
    ]

    static let variableRequests: [(String, Outcome)] = [
        ("/a/book/c/d/e", get("/a/{x}/c/d/e", "x=book")),
        ("/a/hello/b/world/c", get("/{x=a/*}/b/{y=*}/c", "x=a/hello", "y=world")),
        ("/a/b/zoo/d/animal/tiger", get("/a/{x=b/*}/{y=d/**}", "x=b/zoo", "y=d/animal/tiger")),
        ("/alpha/dog/beta/eat/bones/gamma", get("/alpha/{x=*}/beta/{y=**}/gamma", "x=dog", "y=eat/bones")),
        ("/foo/a", get("/{x=*}/a", "x=foo")),
        ("/foo/bar/a/b", get("/{x=**}/a/b", "x=foo/bar")),
        ("/a/b/foo", get("/a/b/{x=*}", "x=foo")),
        ("/a/b/c/foo/bar/baz", get("/a/b/c/{x=**}", "x=foo/bar/baz")),
        ("/foo/d/e/f/bar/baz", get("/{x=*}/d/e/f/{y=**}", "x=foo", "y=bar/baz")),
    ]

    @Test(arguments: variableRequests)
    func bindsVariables(target: String, expected: Outcome) throws {
        let table = try RouteTableHarness.getTable(Self.variableTemplates)
        #expect(RouteTableHarness.outcome(table, "GET", target) == expected)
    }

    static let suffixTemplates = [
        "/a/{x=b/**}", "/a/{x=b/**}/z", "/a/{x=b/**}/y/z", "/a/{x=b/**}:verb", "/a/{x=**}", "/c/{x=*}/{y=d/**}/e",
        "/c/{x=*}/{y=d/**}/e:verb", "/f/{x=*}/{y=**}/g", "/f/{x=*}/{y=**}/g:verb", "/a/{x=b/*/y/z/**}/foo",
        "/a/{x=b/*/**/y/z}/foo",
    ]

    static let suffixRequests: [(String, Outcome)] = [
        ("/a/b/hello/world/c", get("/a/{x=b/**}", "x=b/hello/world/c")),
        ("/a/b/world/c/z", get("/a/{x=b/**}/z", "x=b/world/c")),
        ("/a/b/world/c/y/z", get("/a/{x=b/**}/y/z", "x=b/world/c")),
        ("/a/b/world/c:verb", get("/a/{x=b/**}:verb", "x=b/world/c")),
        ("/a/hello/b/world/c", get("/a/{x=**}", "x=hello/b/world/c")),
        ("/c/hello/d/esp/world/e", get("/c/{x=*}/{y=d/**}/e", "x=hello", "y=d/esp/world")),
        ("/c/hola/d/esp/mundo/e:verb", get("/c/{x=*}/{y=d/**}/e:verb", "x=hola", "y=d/esp/mundo")),
        ("/f/foo/bar/baz/g", get("/f/{x=*}/{y=**}/g", "x=foo", "y=bar/baz")),
        ("/f/foo/bar/baz/g:verb", get("/f/{x=*}/{y=**}/g:verb", "x=foo", "y=bar/baz")),
        ("/a/b/foo/y/z/bar/baz/foo", get("/a/{x=b/*/y/z/**}/foo", "x=b/foo/y/z/bar/baz")),
        ("/a/b/foo/bar/baz/y/z/foo", get("/a/{x=b/*/**/y/z}/foo", "x=b/foo/bar/baz/y/z")),
        ("/a", get("/a/{x=**}", "x=")),
    ]

    @Test(arguments: suffixRequests)
    func matchesLiteralsAfterMultiWildcard(target: String, expected: Outcome) throws {
        let table = try RouteTableHarness.getTable(Self.suffixTemplates)
        #expect(RouteTableHarness.outcome(table, "GET", target) == expected)
    }

    static let precedenceTemplates = ["/a/**", "/b/*", "/c/*/d/**", "/c/*/d/e", "/c/f/d/e", "/"]

    static let precedenceRequests: [(String, Outcome)] = [
        ("/a/b", get("/a/**")), ("/a/b/c", get("/a/**")), ("/b/c", get("/b/*")), ("b/c/d", .notFound),
        ("/c/u/d/v", get("/c/*/d/**")), ("/c/v/d/w/x", get("/c/*/d/**")), ("/c/x/y/d/z", .notFound),
        ("/c//v/d/w/x", .notFound), ("/c/x/d/e", get("/c/*/d/e")), ("/c/f/d/e", get("/c/f/d/e")), ("/", get("/")),
        ("//", get("/")), ("/b/c/", get("/b/*")), ("/b/c///", get("/b/*")), ("/b//", .notFound),
        ("/c/f/d/e?x=1", get("/c/f/d/e")), ("", .notFound), ("*", .notFound),
    ]

    @Test(arguments: precedenceRequests)
    func prefersLiteralsThenWildcards(target: String, expected: Outcome) throws {
        let table = try RouteTableHarness.getTable(Self.precedenceTemplates)
        #expect(RouteTableHarness.outcome(table, "GET", target) == expected)
    }

    /// The literal branch dead-ends after one segment; the search backs up and takes the `*` branch.
    @Test func backtracksFromALiteralBranch() throws {
        let table = try RouteTableHarness.getTable(["/a/b/c", "/a/*/d", "/a/**"])
        #expect(RouteTableHarness.outcome(table, "GET", "/a/b/d") == Self.get("/a/*/d"))
        #expect(RouteTableHarness.outcome(table, "GET", "/a/b/e") == Self.get("/a/**"))
        #expect(RouteTableHarness.outcome(table, "GET", "/a/b/c") == Self.get("/a/b/c"))
    }

    static let verbTemplates = [
        "/some/const:verb", "/some/*:verb", "/some/*/foo:verb", "/other/**:verb", "/other/**/const:verb",
        "/v1/{name=*}:cancel", "/foo/*/hello",
    ]

    static let verbRequests: [(String, Outcome)] = [
        ("/some/const:verb", get("/some/const:verb")), ("/some/other:verb", get("/some/*:verb")),
        ("/some/other:verb/", .notFound), ("/some/bar/foo:verb", get("/some/*/foo:verb")),
        ("/some/foo1/foo2/foo:verb", .notFound), ("/some/foo/bar:verb", .notFound),
        ("/other/bar/foo:verb", get("/other/**:verb")), ("/other/bar/foo/const:verb", get("/other/**/const:verb")),
        ("/v1/jobs-7:cancel", get("/v1/{name=*}:cancel", "name=jobs-7")), ("/v1/jobs-7", .notFound),
        ("/v1/jobs-7:other", .notFound), ("/foo/other:verb/hello", get("/foo/*/hello")),
    ]

    @Test(arguments: verbRequests)
    func matchesVerbs(target: String, expected: Outcome) throws {
        let table = try RouteTableHarness.getTable(Self.verbTemplates)
        #expect(RouteTableHarness.outcome(table, "GET", target) == expected)
    }

    @Test func answersMethodNotAllowedWithEveryMatchingMethod() throws {
        let table = try RouteTableHarness.table([
            ("GET", "/v1/orders/{id}"), ("DELETE", "/v1/orders/{id}"), ("PATCH", "/v1/{name=orders/*}"),
            ("POST", "/v1/orders"), ("POST", "/v1/orders/{id}:cancel"), ("PUT", "/v1/users/{id}"),
        ])
        #expect(RouteTableHarness.outcome(table, "PUT", "/v1/orders/7") == .methodNotAllowed(["DELETE", "GET", "PATCH"]))
        #expect(RouteTableHarness.outcome(table, "GET", "/v1/orders") == .methodNotAllowed(["POST"]))
        #expect(RouteTableHarness.outcome(table, "GET", "/v1/orders/7:cancel") == .methodNotAllowed(["POST"]))
        #expect(RouteTableHarness.outcome(table, "GET", "/v1/nothing") == .notFound)
        #expect(RouteTableHarness.outcome(table, "get", "/v1/orders/7") == .methodNotAllowed(["DELETE", "GET", "PATCH"]))
    }

    /// As in Envoy's transcoder, HEAD is looked up verbatim: no implicit fallback to GET.
    @Test func headDoesNotFallBackToGet() throws {
        let table = try RouteTableHarness.table([("GET", "/v1/items"), ("HEAD", "/v1/items/{id}")])
        #expect(RouteTableHarness.outcome(table, "HEAD", "/v1/items") == .methodNotAllowed(["GET"]))
        #expect(RouteTableHarness.outcome(table, "HEAD", "/v1/items/3") == .matched("HEAD /v1/items/{id}", ["id=3"]))
    }

    @Test func anyMethodRouteYieldsToAnExactMethod() throws {
        let table = try RouteTableHarness.table([("*", "/web/{page=**}"), ("GET", "/web/index")])
        #expect(RouteTableHarness.outcome(table, "GET", "/web/index") == .matched("GET /web/index", []))
        #expect(RouteTableHarness.outcome(table, "OPTIONS", "/web/index") == .matched("* /web/{page=**}", ["page=index"]))
        #expect(RouteTableHarness.outcome(table, "POST", "/web/a/b") == .matched("* /web/{page=**}", ["page=a/b"]))
    }

    @Test func returnsTheRawQueryAndRouteIndex() throws {
        let table = try RouteTableHarness.getTable(["/a", "/b/{x}"])
        guard case .matched(let matched) = table.match(method: "GET", path: "/b/1?x=%20&y") else {
            Issue.record("no match")
            return
        }
        #expect(matched.routeIndex == 1)
        #expect(matched.query == "x=%20&y")
        guard case .matched(let plain) = table.match(method: "GET", path: "/a") else {
            Issue.record("no match")
            return
        }
        #expect(plain.query == nil)
    }

    static let conflicts: [([(String, String)], [String])] = [
        ([("GET", "/v1/{name}"), ("GET", "/v1/{id}")],
         ["\"GET /v1/{id}\" conflicts with \"GET /v1/{name}\": both are GET /v1/* and match the same requests"]),
        ([("GET", "/v1/{name=shelves/*}"), ("GET", "/v1/shelves/{x}"), ("POST", "/v1/{a=**}:run"), ("POST", "/v1/**:run")],
         ["\"GET /v1/shelves/{x}\" conflicts with \"GET /v1/{name=shelves/*}\": both are GET /v1/shelves/* and match the same requests",
          "\"POST /v1/**:run\" conflicts with \"POST /v1/{a=**}:run\": both are POST /v1/**:run and match the same requests"]),
        ([("GET", "/v1/{name}"), ("POST", "/v1/{name}"), ("*", "/v1/{name}"), ("GET", "/v1/{name}:x"), ("GET", "/v1/{name=**}")], []),
    ]

    @Test(arguments: conflicts)
    func detectsConflictsAtCompileTime(routes: [(String, String)], messages: [String]) {
        do {
            _ = try RouteTableHarness.table(routes)
            #expect(messages.isEmpty)
        } catch let error as RouteTableError {
            #expect(error.conflicts.map(\.message) == messages)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func conflictNamesOrigins() throws {
        let routes = [
            Route(method: "GET", template: try PathTemplate("/x/{a}"), origin: "a.yaml:3:7", value: 0),
            Route(method: "GET", template: try PathTemplate("/x/*"), origin: "b.proto", value: 1),
        ]
        #expect(throws: RouteTableError(conflicts: [RouteConflict(
            firstRoute: 0, secondRoute: 1,
            message: "\"GET /x/*\" (b.proto) conflicts with \"GET /x/{a}\" (a.yaml:3:7): both are GET /x/* and match the same requests")])) {
            try RouteTable(routes)
        }
    }
}
