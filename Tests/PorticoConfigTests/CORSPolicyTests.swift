import PorticoConfig
import Testing

/// Origin patterns as `cors: allow_origins:` reads them.
@Suite struct CORSPolicyTests {
    @Test func anExactOriginMatchesOnlyItself() throws {
        let pattern = try #require(OriginPattern(parsing: "http://localhost:3000"))
        #expect(pattern.matches("http://localhost:3000"))
        #expect(pattern.matches("HTTP://LOCALHOST:3000"))
        #expect(!pattern.matches("http://localhost:3001"))
        #expect(!pattern.matches("https://localhost:3000"))
        #expect(!pattern.matches("http://localhost"))
        #expect(!pattern.matches("http://localhost:3000.evil.example"))
        #expect(!pattern.matches("null"))
    }

    @Test func aWildcardMatchesSubdomainsOnly() throws {
        let pattern = try #require(OriginPattern(parsing: "https://*.example.com"))
        #expect(pattern.matches("https://app.example.com"))
        #expect(pattern.matches("https://a.b.example.com"))
        #expect(!pattern.matches("https://example.com"))
        #expect(!pattern.matches("https://evilexample.com"))
        #expect(!pattern.matches("https://example.com.evil.net"))
        #expect(!pattern.matches("http://app.example.com"))
    }

    @Test(arguments: ["", "localhost:3000", "ftp://a.example", "https://a.example/path", "https://*", "https://a.*.example",
                      "https://user@a.example", "https://a.example:", "https://a.example:x"])
    func malformedPatternsAreRefused(_ text: String) {
        #expect(OriginPattern(parsing: text) == nil)
    }

    @Test func anyOriginIsStarAlone() throws {
        #expect(try #require(OriginPattern(parsing: "*")).matches("https://anything.example"))
        #expect(CORSPolicy(allowOrigins: [try #require(OriginPattern(parsing: "*"))]).allows(origin: "http://x.example"))
    }
}
