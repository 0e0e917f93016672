import CryptoExtras
import Foundation
import NIOHTTP1
import PorticoConfig
import PorticoPolicies
import Testing

/// The token matrix: every algorithm, every time rule at its boundary, every forgery.
@Suite struct TokenMatrixTests {
    static let secret = Array(TestKeys.hmacSecret.utf8)

    /// A case of the matrix: a token, and the `error_description` it must fail with (`nil`: accepted).
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var token: @Sendable () -> String
        var failure: String?

        var testDescription: String { name }
    }

    static let valid: [Case] = [
        Case(name: "HS256", token: { TestToken.make(.hmac(alg: "HS256", secret: secret), claims: AuthWorld.claims()) }),
        Case(name: "HS384", token: { TestToken.make(.hmac(alg: "HS384", secret: secret), claims: AuthWorld.claims()) }),
        Case(name: "HS512", token: { TestToken.make(.hmac(alg: "HS512", secret: secret), claims: AuthWorld.claims()) }),
        Case(name: "RS256", token: { TestToken.make(.rsa(alg: "RS256", key: TestKeys.rsa), kid: "rsa-1", claims: AuthWorld.claims()) }),
        Case(name: "RS384", token: { TestToken.make(.rsa(alg: "RS384", key: TestKeys.rsa), kid: "rsa-1", claims: AuthWorld.claims()) }),
        Case(name: "PS256", token: { TestToken.make(.rsa(alg: "PS256", key: TestKeys.rsa), kid: "rsa-1", claims: AuthWorld.claims()) }),
        Case(name: "ES256", token: { TestToken.make(.es256, kid: "ec-1", claims: AuthWorld.claims()) }),
        Case(name: "ES384", token: { TestToken.make(.es384, kid: "ec-2", claims: AuthWorld.claims()) }),
        Case(name: "EdDSA", token: { TestToken.make(.eddsa, kid: "ed-1", claims: AuthWorld.claims()) }),
        Case(name: "ES256 without kid", token: { TestToken.make(.es256, claims: AuthWorld.claims()) }),
        Case(name: "aud as a list", token: { TestToken.make(.es256, kid: "ec-1", claims: AuthWorld.claims(["aud": ["other", AuthWorld.audience]])) }),
    ]

    @Test(arguments: valid)
    func acceptsValidTokens(_ testCase: Case) async throws {
        let authenticator = try AuthWorld.authenticator()
        let outcome = await AuthWorld.outcome(authenticator, headers: AuthWorld.bearer(testCase.token()))
        let principal = try #require(outcome.value ?? nil, "\(String(describing: outcome.failure))")
        #expect(principal.kind == .jwt)
        #expect(principal.subject == "user-1")
        #expect(principal.clientID == "web-app")
        #expect(principal.scopes == ["orders:read", "orders:write"])
        #expect(principal.metadata.map { "\($0.name)=\($0.value)" } == [
            "x-user-id=user-1", "x-user-scopes=orders:read orders:write", "x-client-id=web-app",
        ])
    }

    static let now = AuthWorld.now
    static let invalid: [Case] = [
        Case(name: "expired", token: { es256(["exp": now - 31]) }, failure: "the token has expired"),
        Case(name: "expired exactly at the leeway", token: { es256(["exp": now - 30]) }, failure: "the token has expired"),
        Case(name: "no exp", token: { es256(["exp": NSNull()]) }, failure: "the token has no expiry"),
        Case(name: "not yet valid", token: { es256(["nbf": now + 31]) }, failure: "the token is not valid yet"),
        Case(name: "issued in the future", token: { es256(["iat": now + 31]) }, failure: "the token was issued in the future"),
        Case(name: "wrong iss", token: { es256(["iss": "https://evil.test"]) }, failure: "the token is from another issuer"),
        Case(name: "no iss", token: { es256(["iss": NSNull()]) }, failure: "the token is from another issuer"),
        Case(name: "wrong aud", token: { es256(["aud": "someone-else"]) }, failure: "the token is meant for another audience"),
        Case(name: "no aud", token: { es256(["aud": NSNull()]) }, failure: "the token is meant for another audience"),
        Case(name: "exp not a number", token: { es256(["exp": "tomorrow"]) }, failure: "the token claims are not valid"),
        Case(name: "bad signature (other RSA key)", token: {
            TestToken.make(.rsa(alg: "RS256", key: TestKeys.otherRSA), kid: "rsa-1", claims: AuthWorld.claims())
        }, failure: "the signature is not valid"),
        Case(name: "bad HMAC secret", token: {
            TestToken.make(.hmac(alg: "HS256", secret: Array("another-secret-that-is-long-enough-0123456789".utf8)), claims: AuthWorld.claims())
        }, failure: "the signature is not valid"),
        Case(name: "tampered payload", token: { tampered() }, failure: "the signature is not valid"),
        Case(name: "alg none", token: { TestToken.make(.none, claims: AuthWorld.claims()) }, failure: "the token is not a signed JWT"),
        Case(name: "alg none with a signature", token: { algNoneWithSignature() }, failure: "unsigned tokens are not accepted"),
        Case(name: "HS256 signed with the RSA public key PEM", token: { confusion() }, failure: "the signature is not valid"),
        Case(name: "ES256 header on an RSA kid", token: { TestToken.make(.es256, kid: "rsa-1", claims: AuthWorld.claims()) },
             failure: "no key matches the token's kid and algorithm"),
        Case(name: "RS256 token against an RS384-pinned JWK", token: {
            TestToken.make(.rsa(alg: "RS256", key: TestKeys.rsa), kid: "pinned", claims: AuthWorld.claims())
        }, failure: "no key matches the token's kid and algorithm"),
        Case(name: "unknown algorithm", token: { withHeader(["alg": "XS256"]) }, failure: "the algorithm is not accepted"),
        Case(name: "no alg", token: { withHeader(["typ": "JWT"]) }, failure: "the token header has no alg"),
        Case(name: "crit header", token: { withHeader(["alg": "ES256", "kid": "ec-1", "crit": ["exp"], "exp": 1]) },
             failure: "the token has critical header parameters that are not supported"),
        Case(name: "two parts", token: { "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0" }, failure: "the token is not a signed JWT"),
        Case(name: "not base64url", token: { "a*b.c.d" }, failure: "the token is not a signed JWT"),
        Case(name: "header not JSON", token: { "bm90LWpzb24.e30.c2ln" }, failure: "the token header is not valid JSON"),
        Case(name: "unknown kid without a JWKS URL", token: { TestToken.make(.es256, kid: "nope", claims: AuthWorld.claims()) },
             failure: "no key matches the token's kid"),
    ]

    @Test(arguments: invalid)
    func refusesInvalidTokens(_ testCase: Case) async throws {
        let pinned = TestKeys.rsaJWK(kid: "pinned", alg: "RS384")
        let jwks = TestKeys.jwks([
            TestKeys.rsaJWK(kid: "rsa-1", alg: nil), TestKeys.p256JWK(kid: "ec-1"), pinned,
        ])
        let authenticator = try AuthWorld.authenticator(files: ["keys/jwks.json": jwks, "keys/api-keys.yaml": AuthWorld.apiKeysFile])
        let failure = try #require(await AuthWorld.outcome(authenticator, headers: AuthWorld.bearer(testCase.token())).failure)
        let description = try #require(testCase.failure)
        #expect(failure.status == 401)
        #expect(failure.wwwAuthenticate == "Bearer realm=\"portico\", error=\"invalid_token\", error_description=\"\(description)\"")
    }

    @Test func leewayBoundaries() async throws {
        let authenticator = try AuthWorld.authenticator()
        let accepted: [[String: Any]] = [
            ["exp": Self.now - 29], ["nbf": Self.now + 30], ["iat": Self.now + 30], ["nbf": Self.now],
        ]
        for claims in accepted {
            let outcome = await AuthWorld.outcome(authenticator, headers: AuthWorld.bearer(Self.es256(claims)))
            #expect(outcome.value != nil, "\(claims) should pass: \(String(describing: outcome.failure))")
        }
        let strict = try AuthWorld.authenticator(jwt: AuthWorld.jwtSettings(leeway: .zero))
        let expiredNow = await AuthWorld.outcome(strict, headers: AuthWorld.bearer(Self.es256(["exp": Self.now])))
        #expect(expiredNow.failure?.message == "invalid token: the token has expired")
        let validUntilNext = await AuthWorld.outcome(strict, headers: AuthWorld.bearer(Self.es256(["exp": Self.now + 1])))
        #expect(validUntilNext.value != nil)
    }

    @Test func hmacTokensAreRefusedWhenOnlyPublicKeysAreConfigured() async throws {
        var settings = AuthWorld.jwtSettings()
        settings.secret = nil
        let authenticator = try AuthWorld.authenticator(jwt: settings)
        let failure = await AuthWorld.outcome(authenticator, headers: AuthWorld.bearer(Self.confusion())).failure
        #expect(failure?.wwwAuthenticate.contains("error_description=\"the algorithm is not accepted\"") == true)
    }

    @Test func missingTokenIsAChallengeWithoutError() async throws {
        let authenticator = try AuthWorld.authenticator()
        for headers: HTTPHeaders in [[:], ["authorization": "Basic dXNlcjpwYXNz"], ["authorization": "Bearer "]] {
            let failure = await AuthWorld.outcome(authenticator, headers: headers).failure
            #expect(failure == AuthFailure(status: 401, wwwAuthenticate: "Bearer realm=\"portico\"", message: "authentication required", reason: .missingCredentials))
        }
    }

    @Test func tokensFromACookieOrTheQuery() async throws {
        let authenticator = try AuthWorld.authenticator(jwt: AuthWorld.jwtSettings(token: TokenLocations(cookie: "session", query: "access_token")))
        let token = Self.es256([:])
        let fromCookie = await AuthWorld.outcome(authenticator, headers: ["cookie": "theme=dark; session=\(token); lang=en"])
        #expect(fromCookie.value??.subject == "user-1")
        let fromQuery = await AuthWorld.outcome(authenticator, headers: [:], query: "page=2&access_token=\(token)")
        #expect(fromQuery.value??.subject == "user-1")
        let headerWins = await AuthWorld.outcome(authenticator, headers: ["authorization": "Bearer \(token)", "cookie": "session=garbage"])
        #expect(headerWins.value??.subject == "user-1")
        let plain = try AuthWorld.authenticator()
        let ignored = await AuthWorld.outcome(plain, headers: [:], query: "access_token=\(token)")
        #expect(ignored.failure?.wwwAuthenticate == "Bearer realm=\"portico\"")
    }

    @Test func scopesAndRolesDecideForbidden() async throws {
        let authenticator = try AuthWorld.authenticator()
        let token = Self.es256(["scope": NSNull(), "scp": ["orders:read"], "roles": ["support"]])
        let read = AuthRequirement(mode: .jwt, scopes: ["orders:read"])
        #expect(await AuthWorld.outcome(authenticator, headers: AuthWorld.bearer(token), requirement: read).value != nil)
        let write = AuthRequirement(mode: .jwt, scopes: ["orders:read", "orders:write"])
        let forbidden = await AuthWorld.outcome(authenticator, headers: AuthWorld.bearer(token), requirement: write).failure
        #expect(forbidden?.status == 403)
        #expect(forbidden?.wwwAuthenticate == "Bearer realm=\"portico\", error=\"insufficient_scope\", scope=\"orders:read orders:write\"")
        let admin = AuthRequirement(mode: .jwt, roles: ["admin", "support"])
        #expect(await AuthWorld.outcome(authenticator, headers: AuthWorld.bearer(token), requirement: admin).value != nil)
        let onlyAdmin = AuthRequirement(mode: .jwt, roles: ["admin"])
        #expect(await AuthWorld.outcome(authenticator, headers: AuthWorld.bearer(token), requirement: onlyAdmin).failure?.status == 403)
    }

    @Test func forwardedValuesAreSafeMetadata() async throws {
        let authenticator = try AuthWorld.authenticator()
        let token = Self.es256(["sub": "José\r\nx-admin: 1"])
        let principal = try #require(await AuthWorld.outcome(authenticator, headers: AuthWorld.bearer(token)).value ?? nil)
        #expect(principal.metadata.first?.value == "Jos%C3%A9%0D%0Ax-admin: 1")
        #expect(authenticator.forwardedHeaderNames == ["x-user-id", "x-user-scopes", "x-client-id"])
    }

    @Test func noneModeChecksNothing() async throws {
        let authenticator = try AuthWorld.authenticator()
        let outcome = await AuthWorld.outcome(authenticator, headers: AuthWorld.bearer("garbage"), requirement: .none)
        guard case .success(nil) = outcome else {
            Issue.record("expected no principal, got \(outcome)")
            return
        }
    }

    static func es256(_ overrides: [String: Any]) -> String {
        TestToken.make(.es256, kid: "ec-1", claims: AuthWorld.claims(overrides))
    }

    static func tampered() -> String {
        let token = es256([:])
        let parts = token.split(separator: ".")
        let payload = TestToken.encode(AuthWorld.claims(["sub": "admin"]))
        return "\(parts[0]).\(payload).\(parts[2])"
    }

    static func algNoneWithSignature() -> String {
        var token = TestToken(signer: .none, claims: AuthWorld.claims())
        token.header["alg"] = "none"
        return token.signed(with: .hmac(alg: "HS256", secret: secret))
    }

    /// The classic confusion attack: HS256 with the server's RSA public key (PEM text) as the secret.
    static func confusion() -> String {
        let pem = Array(TestKeys.rsa.publicKey.pemRepresentation.utf8)
        return TestToken.make(.hmac(alg: "HS256", secret: pem), kid: "rsa-1", claims: AuthWorld.claims())
    }

    static func withHeader(_ header: [String: Any]) -> String {
        var token = TestToken(signer: .es256, claims: AuthWorld.claims())
        token.header = header
        return token.signed(with: .es256)
    }
}
