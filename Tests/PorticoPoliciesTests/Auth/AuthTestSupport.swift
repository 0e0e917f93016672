import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import PorticoConfig
import PorticoPolicies

/// The fixed world of the auth tests: one issuer, one audience, a fixed wall clock.
enum AuthWorld {
    static let now = 1_800_000_000.0
    static let issuer = "https://issuer.test"
    static let audience = "portico-test"
    static let group = MultiThreadedEventLoopGroup.singleton

    /// Claims of a valid token, with `overrides` applied (`NSNull()` removes a claim).
    static func claims(_ overrides: [String: Any] = [:]) -> [String: Any] {
        var claims: [String: Any] = [
            "iss": issuer, "aud": audience, "sub": "user-1", "exp": now + 300, "iat": now - 10,
            "scope": "orders:read orders:write", "client_id": "web-app",
        ]
        for (name, value) in overrides {
            claims[name] = value is NSNull ? nil : value
        }
        return claims
    }

    /// The JWKS file of the tests: one key of each asymmetric kind.
    static let jwksFile = TestKeys.jwks([
        TestKeys.rsaJWK(kid: "rsa-1", alg: nil),
        TestKeys.p256JWK(kid: "ec-1"),
        TestKeys.p384JWK(kid: "ec-2"),
        TestKeys.ed25519JWK(kid: "ed-1"),
    ])

    static func location(_ keyPath: String) -> SourceLocation {
        SourceLocation(file: "gateway.yaml", line: 1, column: 1, keyPath: keyPath)
    }

    /// JWT settings with the HMAC secret and the JWKS file.
    static func jwtSettings(leeway: Duration = .seconds(30), token: TokenLocations = TokenLocations()) -> JWTSettings {
        JWTSettings(
            issuers: [issuer],
            audiences: [audience],
            leeway: leeway,
            secret: Located(.inline(Array(TestKeys.hmacSecret.utf8)), at: location("auth.jwt.hs_secret")),
            jwksFile: Located("keys/jwks.json", at: location("auth.jwt.jwks_file")),
            token: token
        )
    }

    static let apiKeysFile = """
        - id: partner-a
          sha256: \(sha256Hex("key-a"))
          plan: gold
          scopes: [orders:read]
          roles: [partner]
        - id: partner-b
          sha256: \(sha256Hex("key-b"))
          scopes: [orders:read, orders:write]
        """

    static let forward = [
        ClaimForwarding(claim: "sub", header: "x-user-id"),
        ClaimForwarding(claim: "scope", header: "x-user-scopes"),
        ClaimForwarding(claim: "client_id", header: "x-client-id"),
    ]

    static func authenticator(
        jwt: JWTSettings? = jwtSettings(),
        apiKeys: APIKeySettings? = APIKeySettings(file: Located("keys/api-keys.yaml", at: location("auth.api_keys.file"))),
        files: [String: String] = ["keys/jwks.json": jwksFile, "keys/api-keys.yaml": apiKeysFile],
        now: Double = now
    ) throws(ConfigError) -> Authenticator {
        try Authenticator(
            settings: AuthSettings(jwt: jwt, apiKeys: apiKeys, forward: forward),
            files: AuthKeyFiles(contents: files),
            eventLoopGroup: group,
            wallClock: { now }
        )
    }

    /// The outcome of authenticating a request with `headers` and `query`.
    static func outcome(
        _ authenticator: Authenticator,
        headers: HTTPHeaders,
        query: Substring? = nil,
        requirement: AuthRequirement = AuthRequirement(mode: .jwt)
    ) async -> Result<Principal?, AuthFailure> {
        let loop = group.next()
        do {
            return .success(try await authenticator.authenticate(headers: headers, query: query, requirement: requirement, on: loop).get())
        } catch let failure as AuthFailure {
            return .failure(failure)
        } catch {
            return .failure(AuthFailure(status: 0, wwwAuthenticate: "", message: "unexpected \(error)", reason: .missingCredentials))
        }
    }

    static func bearer(_ token: String) -> HTTPHeaders {
        ["authorization": "Bearer \(token)"]
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }

    var value: Success? {
        if case .success(let value) = self { return value }
        return nil
    }
}

/// The hex SHA-256 of `text`, as the API-keys file stores keys.
func sha256Hex(_ text: String) -> String {
    SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
}
