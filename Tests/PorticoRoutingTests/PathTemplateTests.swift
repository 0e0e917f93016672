import PorticoRouting
import Testing

@Suite struct PathTemplateTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        var template: String
        var shape: String
        var verb: String?
        /// `field.path@first+count`, with a trailing `*` when the variable contains `**`.
        var variables: [String]
        var testDescription: String { template }
    }

    static let valid: [Valid] = [
        Valid(template: "/", shape: "/", verb: nil, variables: []),
        Valid(template: "/v1/messages", shape: "/v1/messages", verb: nil, variables: []),
        Valid(template: "/v1/{name=messages/*}", shape: "/v1/messages/*", verb: nil, variables: ["name@1+2"]),
        Valid(template: "/v1/messages/{message_id}/{sub.subfield}", shape: "/v1/messages/*/*", verb: nil,
              variables: ["message_id@2+1", "sub.subfield@3+1"]),
        Valid(template: "/v1/{book.name=shelves/*/books/*}", shape: "/v1/shelves/*/books/*", verb: nil,
              variables: ["book.name@1+4"]),
        Valid(template: "/v1/{name=*}:cancel", shape: "/v1/*:cancel", verb: "cancel", variables: ["name@1+1"]),
        Valid(template: "/{x=**}:verb", shape: "/**:verb", verb: "verb", variables: ["x@0+1*"]),
        Valid(template: "/a/{x=b/**}/y/z", shape: "/a/b/**/y/z", verb: nil, variables: ["x@1+2*"]),
        Valid(template: "/{x=**}/a/b", shape: "/**/a/b", verb: nil, variables: ["x@0+1*"]),
        Valid(template: "/a/{x=b/*/**/y/z}/foo", shape: "/a/b/*/**/y/z/foo", verb: nil, variables: ["x@1+5*"]),
        Valid(template: "/c/*/d/**", shape: "/c/*/d/**", verb: nil, variables: []),
        Valid(template: "/{x=literal}", shape: "/literal", verb: nil, variables: ["x@0+1"]),
        Valid(template: "/v1/a*b/x=y;z@w/%41~", shape: "/v1/a*b/x=y;z@w/%41~", verb: nil, variables: []),
        Valid(template: "/{_x.y_2}:do-it.now", shape: "/*:do-it.now", verb: "do-it.now", variables: ["_x.y_2@0+1"]),
    ]

    @Test(arguments: valid)
    func parsesValidTemplates(_ expected: Valid) throws {
        let template = try PathTemplate(expected.template)
        #expect(template.shape == expected.shape)
        #expect(template.verb == expected.verb)
        let variables = template.variables.map { variable in
            "\(variable.fieldPath.joined(separator: "."))@\(variable.firstSegment)+\(variable.segmentCount)"
                + (variable.containsMultiWildcard ? "*" : "")
        }
        #expect(variables == expected.variables)
    }

    @Test func singleAndMultiSegmentVariables() throws {
        let template = try PathTemplate("/{a}/{b=x/*}/{c=**}")
        #expect(template.variables.map(\.isMultiSegment) == [false, true, true])
    }

    static let invalid: [(String, PathTemplateError.Code, String)] = [
        ("", .empty, "the template is empty; it must start with \"/\""),
        ("a/b", .missingLeadingSlash, "it must start with \"/\""),
        ("//", .emptySegment, "empty segment at offset 1"),
        ("/a/", .emptySegment, "empty segment at offset 3 (a trailing \"/\" is not allowed)"),
        ("/a//b", .emptySegment, "empty segment at offset 3"),
        ("/:verb", .emptySegment, "empty segment at offset 1"),
        ("/{x=}", .emptySegment, "empty segment at offset 4"),
        ("/a/{var=/b}", .emptySegment, "empty segment at offset 8"),
        ("/{}", .emptyFieldPath, "variable at offset 1 names no field"),
        ("/{=a}", .emptyFieldPath, "variable at offset 1 names no field"),
        ("/a/{x=var:verb}", .misplacedVerb, "\":\" at offset 9 is inside a variable; a verb may only end the template"),
        ("/a:b/c", .misplacedVerb, "\":\" at offset 2 starts a verb, but a verb may only end the template"),
        ("/a:b:c", .misplacedVerb, "\":\" at offset 2 starts a verb, but a verb may only end the template"),
        ("/a/*:", .emptyVerb, "the verb after \":\" at offset 4 is empty"),
        ("/{x=*}:", .emptyVerb, "the verb after \":\" at offset 6 is empty"),
        ("/{var=a/{nested=b}}", .nestedVariable, "variable at offset 8 is inside another variable; variables cannot nest"),
        ("/a{x}", .invalidCharacter, "\"{\" at offset 2: a variable must be a whole segment"),
        ("/a{x=b/**}/{y=*}", .invalidCharacter, "\"{\" at offset 2: a variable must be a whole segment"),
        ("/{x}a", .invalidCharacter, "\"a\" at offset 4 follows a variable; a variable must be a whole segment"),
        ("/a b", .invalidCharacter, "byte 0x20 at offset 2 is not allowed in a path template"),
        ("/a?b", .invalidCharacter, "\"?\" at offset 2 is not allowed in a path template"),
        ("/a#b", .invalidCharacter, "\"#\" at offset 2 is not allowed in a path template"),
        ("/caf\u{E9}", .invalidCharacter, "byte 0xC3 at offset 4 is not allowed in a path template"),
        ("/a%zz", .invalidPercentEscape, "\"%\" at offset 2 is not followed by two hex digits"),
        ("/a%2", .invalidPercentEscape, "\"%\" at offset 2 is not followed by two hex digits"),
        ("/*a", .partialWildcard, "\"*\" at offset 1 must be a whole segment (\"*\" or \"**\")"),
        ("/***", .partialWildcard, "\"*\" at offset 1 must be a whole segment (\"*\" or \"**\")"),
        ("/{x", .unclosedVariable, "\"{\" at offset 1 is never closed"),
        ("/{x=a", .unclosedVariable, "\"{\" at offset 1 is never closed"),
        ("/x}", .unmatchedClosingBrace, "\"}\" at offset 2 has no matching \"{\""),
        ("/{x}}", .unmatchedClosingBrace, "\"}\" at offset 4 has no matching \"{\""),
        ("/}", .unmatchedClosingBrace, "\"}\" at offset 1 has no matching \"{\""),
        ("/{1x}", .invalidFieldName, "invalid field path \"1x\" at offset 2: each name must be a protobuf identifier"),
        ("/{a..b}", .invalidFieldName, "invalid field path \"a..b\" at offset 2: each name must be a protobuf identifier"),
        ("/{a.}", .invalidFieldName, "invalid field path \"a.\" at offset 2: each name must be a protobuf identifier"),
        ("/{a-b}", .invalidFieldName, "\"-\" at offset 3 is not allowed in a field path"),
        ("/{x}/{x}", .duplicateVariable, "field \"x\" is bound twice (variables at offsets 1 and 5)"),
        ("/{a.b}/{a.b=**}", .duplicateVariable, "field \"a.b\" is bound twice (variables at offsets 1 and 7)"),
        ("/a/**/*", .wildcardAfterMultiWildcard,
         "the wildcard at offset 6 follows \"**\" at offset 3; only literal segments may follow \"**\""),
        ("/a/**/**", .wildcardAfterMultiWildcard,
         "the wildcard at offset 6 follows \"**\" at offset 3; only literal segments may follow \"**\""),
        ("/a/**/foo/*", .wildcardAfterMultiWildcard,
         "the wildcard at offset 10 follows \"**\" at offset 3; only literal segments may follow \"**\""),
        ("/a/{x=b/**}/{y=*}", .wildcardAfterMultiWildcard,
         "the wildcard at offset 15 follows \"**\" at offset 8; only literal segments may follow \"**\""),
        ("/a/{x=b/**}/bb/{y}", .wildcardAfterMultiWildcard,
         "the wildcard at offset 15 follows \"**\" at offset 8; only literal segments may follow \"**\""),
    ]

    @Test(arguments: invalid)
    func rejectsInvalidTemplates(template: String, code: PathTemplateError.Code, reason: String) {
        #expect(throws: PathTemplateError(code: code, template: template, reason: reason)) {
            try PathTemplate(template)
        }
    }

    @Test func describesErrorsWithTheTemplate() {
        let error = PathTemplateError(code: .emptySegment, template: "//", reason: "empty segment at offset 1")
        #expect(error.description == "invalid path template \"//\": empty segment at offset 1")
    }
}
