import Foundation
import NIOHTTP1
import PorticoConfig
import PorticoPolicies
import PorticoTesting
import Testing

/// The demo credentials of docs/mappings.md work against the files in `Mappings/keys/`.
@Suite struct DemoCredentialsTests {
    static let demoToken = """
        eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImRlbW8tZXMyNTYifQ.eyJpc3MiOiJodHRwczovL2F1dGguZGVtby5wb3J0aWNvLmRldiIsImF1ZCI6InBvcnRpY28tZGVtbyIsInN1YiI6ImRlbW8tdXNlciIsInNjb3BlIjoib3JkZXJzOnJlYWQgb3JkZXJzOndyaXRlIiwiY2xpZW50X2lkIjoicG9ydGljby1kZW1vLWNsaSIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjoyMDgyNzU4NDAwfQ.9JzQ_qGURBQ9kwgtKZZNGOMR2m1OLINc586TWuwmMo6z3ZbwJm-CMFwsn2S4OiV6T7ufVEN28njw1lO67TrhWA
        """

    static func authenticator(now: Double) throws -> Authenticator {
        let location = AuthWorld.location("auth")
        let settings = AuthSettings(
            jwt: JWTSettings(
                issuers: ["https://auth.demo.portico.dev"],
                audiences: ["portico-demo"],
                jwksFile: Located("keys/jwks.json", at: location)
            ),
            apiKeys: APIKeySettings(file: Located("keys/api-keys.yaml", at: location)),
            forward: [ClaimForwarding(claim: "sub", header: "x-user-id")]
        )
        return try Authenticator(
            settings: settings,
            files: AuthKeyFiles(mappingsDirectory: Fixtures.mappingsDirectory.path),
            eventLoopGroup: AuthWorld.group,
            wallClock: { now }
        )
    }

    @Test func theLongLivedTokenIsValidUntil2036() async throws {
        let now = Date().timeIntervalSince1970
        let authenticator = try Self.authenticator(now: now)
        let requirement = AuthRequirement(mode: .jwt, scopes: ["orders:read", "orders:write"])
        let principal = try #require(await AuthWorld.outcome(authenticator, headers: AuthWorld.bearer(Self.demoToken), requirement: requirement).value ?? nil)
        #expect(principal.subject == "demo-user")
        #expect(principal.metadata.map(\.value) == ["demo-user"])
        let in2036 = try Self.authenticator(now: 2_082_758_400 + 60)
        #expect(await AuthWorld.outcome(in2036, headers: AuthWorld.bearer(Self.demoToken)).failure?.status == 401)
    }

    @Test func theDemoKeys() async throws {
        let authenticator = try Self.authenticator(now: AuthWorld.now)
        let write = AuthRequirement(mode: .apiKey, scopes: ["orders:write"])
        let partner = await AuthWorld.outcome(authenticator, headers: ["x-api-key": "portico-demo-key-7c1e9a42"], requirement: write)
        #expect(partner.value??.plan == "gold")
        let readonly = await AuthWorld.outcome(authenticator, headers: ["x-api-key": "portico-demo-readonly-5b2d8f10"], requirement: write)
        #expect(readonly.failure?.status == 403)
    }
}
