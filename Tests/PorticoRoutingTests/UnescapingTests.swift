import PorticoRouting
import Testing

/// Path variables: single-segment values fully decoded, multi-segment values keep reserved escapes,
/// malformed escapes rejected.
@Suite struct UnescapingTests {
    static let templates = ["/s/{x}", "/m/{x=p/*}", "/w/{x=**}", "/l/{x=lit%2Fx}", "/v/{x}:do"]

    static let requests: [(String, Outcome)] = [
        ("/s/a%2Fb%3Ac%20d", .matched("GET /s/{x}", ["x=a/b:c d"])),
        ("/s/a+b", .matched("GET /s/{x}", ["x=a+b"])),
        ("/s/caf%C3%A9", .matched("GET /s/{x}", ["x=café"])),
        ("/s/caf%c3%a9", .matched("GET /s/{x}", ["x=café"])),
        ("/s/%E2%9C%93", .matched("GET /s/{x}", ["x=✓"])),
        ("/m/p/a%2Fb%2fc%3F%20d%7E", .matched("GET /m/{x=p/*}", ["x=p/a%2Fb%2fc%3F d~"])),
        ("/w/a%2Fb/c%25d/e%41", .matched("GET /w/{x=**}", ["x=a%2Fb/c%d/eA"])),
        ("/w/one%2Fsegment", .matched("GET /w/{x=**}", ["x=one%2Fsegment"])),
        ("/l/lit%2Fx", .matched("GET /l/{x=lit%2Fx}", ["x=lit/x"])),
        ("/l/lit%2fx", .notFound),
        ("/l/lit/x", .notFound),
        ("/v/a%3Ab:do", .matched("GET /v/{x}:do", ["x=a:b"])),
        ("/s/%zz", .invalidPath("path variable \"x\": \"%zz\" is not a valid percent escape")),
        ("/s/ab%4", .invalidPath("path variable \"x\": \"%4\" is not a valid percent escape")),
        ("/s/ab%", .invalidPath("path variable \"x\": \"%\" is not a valid percent escape")),
        ("/w/a/%G1", .invalidPath("path variable \"x\": \"%G1\" is not a valid percent escape")),
        ("/s/%FF", .invalidPath("path variable \"x\": the percent-decoded value is not valid UTF-8")),
        ("/s/%C3", .invalidPath("path variable \"x\": the percent-decoded value is not valid UTF-8")),
    ]

    @Test(arguments: requests)
    func decodesPathVariables(target: String, expected: Outcome) throws {
        let table = try RouteTableHarness.getTable(Self.templates)
        #expect(RouteTableHarness.outcome(table, "GET", target) == expected)
    }

    /// Every ASCII character, escaped in upper- and lower-case hex, decodes in a single-segment variable
    /// (`PercentEscapesUnescapedForSingleSegmentAllAsciiChars` of the reference).
    @Test func decodesEveryASCIICharacterInASingleSegment() throws {
        let table = try RouteTableHarness.getTable(["/{x}"])
        for byte in UInt8(0)..<0x7F {
            for hex in [String(byte, radix: 16, uppercase: true), String(byte, radix: 16)] {
                let escape = "%" + (hex.count == 1 ? "0" + hex : hex)
                let expected = Outcome.matched("GET /{x}", ["x=\(Character(Unicode.Scalar(byte)))"])
                #expect(RouteTableHarness.outcome(table, "GET", "/" + escape) == expected, "\(escape)")
            }
        }
    }

    /// Escapes outside variables are never decoded, so they cannot fail a match.
    @Test func ignoresEscapesOutsideVariables() throws {
        let table = try RouteTableHarness.getTable(["/a/*/**"])
        #expect(RouteTableHarness.outcome(table, "GET", "/a/%zz/%") == .matched("GET /a/*/**", []))
    }
}
