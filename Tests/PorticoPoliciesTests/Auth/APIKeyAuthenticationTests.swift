import NIOHTTP1
import PorticoConfig
import PorticoPolicies
import Testing

/// API keys: lookup by SHA-256, the challenge, scopes and roles, and the `any` mode.
@Suite struct APIKeyAuthenticationTests {
    static let apiKeyOnly = AuthRequirement(mode: .apiKey)

    @Test func aKnownKeyIsItsClient() async throws {
        let authenticator = try AuthWorld.authenticator()
        let principal = try #require(await AuthWorld.outcome(authenticator, headers: ["x-api-key": "key-a"], requirement: Self.apiKeyOnly).value ?? nil)
        #expect(principal.kind == .apiKey)
        #expect(principal.subject == "partner-a")
        #expect(principal.clientID == "partner-a")
        #expect(principal.plan == "gold")
        #expect(principal.scopes == ["orders:read"])
        #expect(principal.roles == ["partner"])
        #expect(principal.metadata.map { "\($0.name)=\($0.value)" } == [
            "x-user-id=partner-a", "x-user-scopes=orders:read", "x-client-id=partner-a",
        ])
    }

    @Test func anUnknownOrMissingKeyIs401() async throws {
        let authenticator = try AuthWorld.authenticator()
        let unknown = await AuthWorld.outcome(authenticator, headers: ["x-api-key": "key-c"], requirement: Self.apiKeyOnly).failure
        #expect(unknown == AuthFailure(
            status: 401,
            wwwAuthenticate: "APIKey realm=\"portico\", header=\"x-api-key\", error=\"invalid_key\", error_description=\"the API key is not valid\"",
            message: "invalid API key",
            reason: .invalidAPIKey
        ))
        let missing = await AuthWorld.outcome(authenticator, headers: [:], requirement: Self.apiKeyOnly).failure
        #expect(missing?.wwwAuthenticate == "APIKey realm=\"portico\", header=\"x-api-key\"")
        #expect(missing?.status == 401)
    }

    @Test func keysFromTheQueryWhenConfigured() async throws {
        let settings = APIKeySettings(file: Located("keys/api-keys.yaml", at: AuthWorld.location("auth.api_keys.file")), header: nil, query: "api_key")
        let authenticator = try AuthWorld.authenticator(apiKeys: settings)
        let fromQuery = await AuthWorld.outcome(authenticator, headers: [:], query: "a=1&api_key=key-b", requirement: Self.apiKeyOnly)
        #expect(fromQuery.value??.subject == "partner-b")
        let headerIgnored = await AuthWorld.outcome(authenticator, headers: ["x-api-key": "key-b"], requirement: Self.apiKeyOnly)
        #expect(headerIgnored.failure?.wwwAuthenticate == "APIKey realm=\"portico\"")
    }

    @Test func scopesAndRolesDecideForbidden() async throws {
        let authenticator = try AuthWorld.authenticator()
        let write = AuthRequirement(mode: .apiKey, scopes: ["orders:write"])
        let forbidden = await AuthWorld.outcome(authenticator, headers: ["x-api-key": "key-a"], requirement: write).failure
        #expect(forbidden?.status == 403)
        #expect(forbidden?.wwwAuthenticate == "APIKey realm=\"portico\", error=\"insufficient_scope\", scope=\"orders:write\"")
        #expect(await AuthWorld.outcome(authenticator, headers: ["x-api-key": "key-b"], requirement: write).value != nil)
        let partners = AuthRequirement(mode: .apiKey, roles: ["partner"])
        #expect(await AuthWorld.outcome(authenticator, headers: ["x-api-key": "key-a"], requirement: partners).value != nil)
        #expect(await AuthWorld.outcome(authenticator, headers: ["x-api-key": "key-b"], requirement: partners).failure?.status == 403)
    }

    @Test func anyPrefersATokenThenAKey() async throws {
        let authenticator = try AuthWorld.authenticator()
        let any = AuthRequirement(mode: .any)
        let token = TokenMatrixTests.es256([:])
        let both = await AuthWorld.outcome(authenticator, headers: ["authorization": "Bearer \(token)", "x-api-key": "key-a"], requirement: any)
        #expect(both.value??.kind == .jwt)
        let keyOnly = await AuthWorld.outcome(authenticator, headers: ["x-api-key": "key-a"], requirement: any)
        #expect(keyOnly.value??.kind == .apiKey)
        let badToken = await AuthWorld.outcome(authenticator, headers: ["authorization": "Bearer x.y.z", "x-api-key": "key-a"], requirement: any)
        #expect(badToken.failure?.status == 401)
        let neither = await AuthWorld.outcome(authenticator, headers: [:], requirement: any).failure
        #expect(neither?.wwwAuthenticate == "Bearer realm=\"portico\", APIKey realm=\"portico\", header=\"x-api-key\"")
    }

    @Test func jwtRoutesIgnoreAPIKeys() async throws {
        let authenticator = try AuthWorld.authenticator()
        let failure = await AuthWorld.outcome(authenticator, headers: ["x-api-key": "key-a"]).failure
        #expect(failure?.wwwAuthenticate == "Bearer realm=\"portico\"")
        #expect(authenticator.supports(.apiKey))
        let jwtOnly = try AuthWorld.authenticator(apiKeys: nil)
        #expect(!jwtOnly.supports(.apiKey))
        #expect(jwtOnly.supports(.any))
    }
}
