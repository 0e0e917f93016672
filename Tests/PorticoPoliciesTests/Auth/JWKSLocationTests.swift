@testable import PorticoPolicies
import NIOHTTP1
import Testing

/// JWKS URLs taken apart for one HTTP/1.1 request.
@Suite struct JWKSLocationTests {
    static let valid: [(String, Bool, String, Int, String, String)] = [
        ("https://idp.example/.well-known/jwks.json", true, "idp.example", 443, "/.well-known/jwks.json", "idp.example"),
        ("http://127.0.0.1:8080/keys?v=2", false, "127.0.0.1", 8080, "/keys?v=2", "127.0.0.1:8080"),
        ("HTTPS://idp.example:8443", true, "idp.example", 8443, "/", "idp.example:8443"),
        ("http://[::1]:9000/jwks", false, "::1", 9000, "/jwks", "[::1]:9000"),
        ("http://idp.example?x=1", false, "idp.example", 80, "/?x=1", "idp.example"),
    ]

    @Test(arguments: valid)
    func parses(text: String, isSecure: Bool, host: String, port: Int, target: String, hostHeader: String) throws {
        let location = try #require(JWKSLocation(text))
        #expect(location.isSecure == isSecure)
        #expect(location.host == host)
        #expect(location.port == port)
        #expect(location.target == target)
        #expect(location.hostHeader == hostHeader)
    }

    @Test(arguments: ["ftp://x/y", "https://", "https://user:pw@idp/x", "http://idp:0/x", "http://idp:99999/", "http://idp/x#frag", "http://[::1/x", "https://a b/"])
    func refuses(text: String) {
        #expect(JWKSLocation(text) == nil)
    }

    @Test func ipLiteralsSendNoSNI() throws {
        #expect(try #require(JWKSLocation("https://10.0.0.1/j")).isIPAddress)
        #expect(try #require(JWKSLocation("https://[::1]/j")).isIPAddress)
        #expect(try !#require(JWKSLocation("https://idp.example/j")).isIPAddress)
    }
}

/// Credentials where `auth:` says they travel.
@Suite struct CredentialExtractorTests {
    @Test func bearerSchemeIsCaseInsensitiveAndRequiredOnAuthorization() {
        #expect(CredentialExtractor.bearerCredential("bearer abc", requireScheme: true) == "abc")
        #expect(CredentialExtractor.bearerCredential("BEARER   abc  ", requireScheme: true) == "abc")
        #expect(CredentialExtractor.bearerCredential("abc", requireScheme: true) == nil)
        #expect(CredentialExtractor.bearerCredential("abc", requireScheme: false) == "abc")
        #expect(CredentialExtractor.bearerCredential("Basic abc", requireScheme: true) == nil)
    }

    @Test func queryParametersArePercentDecoded() {
        #expect(CredentialExtractor.queryParameter(named: "k", in: "a=1&k=x%2By&b") == "x+y")
        #expect(CredentialExtractor.queryParameter(named: "k", in: "kk=1&k=") == nil)
        #expect(CredentialExtractor.queryParameter(named: "k", in: "k=%zz") == nil)
        #expect(CredentialExtractor.queryParameter(named: "k", in: "a=1") == nil)
    }

    @Test func cookiesMayBeQuoted() {
        #expect(CredentialExtractor.cookie(named: "s", in: ["cookie": "a=1;s=\"tok\""]) == "tok")
        #expect(CredentialExtractor.cookie(named: "s", in: ["cookie": "a=1", "Cookie": "s=tok2"]) == "tok2")
        #expect(CredentialExtractor.cookie(named: "s", in: ["cookie": "ss=1"]) == nil)
    }
}
