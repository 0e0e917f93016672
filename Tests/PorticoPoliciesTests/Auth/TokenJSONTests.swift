@testable import PorticoPolicies
import Testing

/// The JWT header and claims reader against what hostile tokens carry.
@Suite struct TokenJSONTests {
    private func read(_ text: String) -> [String: TokenJSON.Value]? {
        try? TokenJSON.object(Array(text.utf8))
    }

    @Test func readsMembersOfEveryKind() throws {
        let members = try #require(read(#" { "s": "a\"b\\c\/\u00e9\ud83d\ude00\n", "n": -12.5e1, "i": 7, "t": true, "f": false, "z": null, "l": ["x", 1], "o": {"d": [{}]} } "#))
        #expect(members["s"] == .string("a\"b\\c/é😀\n"))
        #expect(members["n"] == .number(-125, text: "-12.5e1"))
        #expect(members["i"] == .number(7, text: "7"))
        #expect(members["t"] == .bool(true))
        #expect(members["f"] == .bool(false))
        #expect(members["z"] == .null)
        #expect(members["l"] == .array([.string("x"), .number(1, text: "1")]))
        #expect(members["o"] == .object)
    }

    static let refused: [String] = [
        #"{"a":1,"a":2}"#,
        #"{"a":1} x"#,
        #"{"a":01}"#,
        #"{"a":1.}"#,
        #"{"a":.5}"#,
        #"{"a":1e}"#,
        #"{"a":-}"#,
        #"{"a":"\x"}"#,
        #"{"a":"\ud83d"}"#,
        #"{"a":"\ude00"}"#,
        #"{"a":"\u12"}"#,
        "{\"a\":\"tab\there\"}",
        #"{"a":tru}"#,
        #"{"a":1,}"#,
        #"{,}"#,
        #"["a"]"#,
        #""a""#,
        #"{"a":1e999}"#,
        #"{"a":"#,
        "",
        String(repeating: #"{"a":"#, count: 20) + "1" + String(repeating: "}", count: 20),
        #"{"a":"# + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "}",
    ]

    @Test(arguments: refused)
    func refusesWhatIsNotStrictJSON(_ text: String) {
        #expect(read(text) == nil, "\(text.prefix(40))")
    }

    @Test func refusesInvalidUTF8() {
        #expect((try? TokenJSON.object([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D])) == nil)
    }

    @Test func claimsKeepTheirRegisteredTypes() throws {
        let claims = try TokenClaims(json: Array(#"{"iss":"i","sub":"s","aud":["a","b"],"exp":1.5e9,"scope":"r w","n":3,"b":true}"#.utf8))
        #expect(claims.issuer == "i")
        #expect(claims.audience == ["a", "b"])
        #expect(claims.expiresAt == 1.5e9)
        #expect(claims.scopes == ["r", "w"])
        #expect(claims.text(of: "n") == "3")
        #expect(claims.text(of: "b") == "true")
        #expect(throws: TokenJSON.Malformed.self) { try TokenClaims(json: Array(#"{"exp":"soon"}"#.utf8)) }
        #expect(throws: TokenJSON.Malformed.self) { try TokenClaims(json: Array(#"{"aud":["a",1]}"#.utf8)) }
        #expect(throws: TokenJSON.Malformed.self) { try TokenClaims(json: Array(#"{"iss":5}"#.utf8)) }
    }
}
