import PorticoCore
import PorticoRouting
import Testing

@Suite struct QueryStringParserTests {
    static let valid: [(String, [String])] = [
        ("a=1&b.c=2&tags=x&tags=y", ["a=1", "b.c=2", "tags=x", "tags=y"]),
        ("", []),
        ("&&a=1&&", ["a=1"]),
        ("a=", ["a="]),
        ("flag", ["flag="]),
        ("a=b=c", ["a=b=c"]),
        ("q=hello+world&r=%2B1", ["q=hello world", "r=+1"]),
        ("name%2Efirst=Leo", ["name.first=Leo"]),
        ("sub.sub_field.x=%E2%9C%93", ["sub.sub_field.x=✓"]),
        ("m%5Bk%5D=v", ["m[k]=v"]),
        ("x=%26%3D%23", ["x=&=#"]),
    ]

    @Test(arguments: valid)
    func parsesQueryStrings(query: String, expected: [String]) throws {
        #expect(try QueryStringParser.parse(Substring(query)).map(\.description) == expected)
    }

    @Test func splitsDottedNamesIntoFieldPaths() throws {
        let bindings = try QueryStringParser.parse("b.c.d=2&e=")
        #expect(bindings == [
            FieldBinding(fieldPath: ["b", "c", "d"], value: "2"),
            FieldBinding(fieldPath: ["e"], value: ""),
        ])
    }

    static let invalid: [(String, String)] = [
        ("x=%zz", "query parameter \"x\": \"%zz\" is not a valid percent escape"),
        ("x=1%2", "query parameter \"x\": \"%2\" is not a valid percent escape"),
        ("a%=1", "query parameter \"a%\": \"%\" is not a valid percent escape"),
        ("x=%FF", "query parameter \"x\": the percent-decoded text is not valid UTF-8"),
        ("=x", "query parameter with an empty name (\"=x\")"),
        ("a..b=1", "query parameter \"a..b\": a field path cannot have an empty name"),
        (".a=1", "query parameter \".a\": a field path cannot have an empty name"),
        ("a.=1", "query parameter \"a.\": a field path cannot have an empty name"),
    ]

    @Test(arguments: invalid)
    func rejectsMalformedQueries(query: String, message: String) {
        #expect(throws: GatewayError.self) { try QueryStringParser.parse(Substring(query)) }
        do {
            _ = try QueryStringParser.parse(Substring(query))
        } catch {
            #expect(error.message == message)
            #expect(error.code == .invalidArgument)
            #expect(error.httpStatus == 400)
        }
    }
}
