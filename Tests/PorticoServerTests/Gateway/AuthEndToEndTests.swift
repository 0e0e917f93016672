import Foundation
import NIOCore
import PorticoTesting
import Testing

/// Authentication through the whole gateway: the demo's credentials and routes (as the README uses them),
/// and claims forwarded to the probe backend, which echoes the metadata it receives.
@Suite struct AuthEndToEndTests {
    static let json = ["Content-Type": "application/json"]
    static let order = #"{"userId":"u1","orderItems":[{"productId":"p3","quantity":1}]}"#

    /// A fresh HS256 token from `scripts/demo-token.py`, signed with the demo secret.
    static func demoToken(_ arguments: [String] = []) async throws -> String {
        let script = Fixtures.repositoryRoot.appendingPathComponent("scripts/demo-token.py").path
        let output = try await ProcessRunner.output(PythonPeer.executable, [script] + arguments)
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func missingBadAndInsufficientCredentialsAre401Or403() async throws {
        try await GatewayHarness.withDemo { gateway in
            let anonymous = try await gateway.send("POST", "/v1/orders", headers: Self.json, body: Self.order)
            #expect(anonymous.status == 401)
            #expect(anonymous.header("www-authenticate")?.contains(#"Bearer realm="portico""#) == true)
            #expect(anonymous.header("www-authenticate")?.contains(#"APIKey realm="portico", header="x-api-key""#) == true)
            #expect(try anonymous.object["code"] as? Int == 16)

            let forged = try await gateway.send(
                "POST", "/v1/orders", headers: Self.json.merging(["Authorization": "Bearer \(DemoCredentials.token.dropLast(4))AAAA"]) { $1 },
                body: Self.order
            )
            #expect(forged.status == 401)
            #expect(forged.header("www-authenticate")?.contains(#"error="invalid_token""#) == true)

            let expired = try await gateway.send(
                "POST", "/v1/orders", headers: Self.json.merging(["Authorization": "Bearer \(try await Self.demoToken(["--ttl", "-120"]))"]) { $1 },
                body: Self.order
            )
            #expect(expired.status == 401)
            #expect(expired.header("www-authenticate")?.contains("expired") == true)

            let readOnly = try await gateway.send(
                "POST", "/v1/orders", headers: Self.json.merging(["X-API-Key": DemoCredentials.readOnlyKey]) { $1 }, body: Self.order
            )
            #expect(readOnly.status == 403)
            #expect(readOnly.header("www-authenticate")?.contains(#"error="insufficient_scope""#) == true)
            #expect(try readOnly.object["code"] as? Int == 7)

            let unknownKey = try await gateway.send("GET", "/v1/orders", headers: ["X-API-Key": "not-a-demo-key"])
            #expect(unknownKey.status == 401)
        }
    }

    @Test func tokensAndKeysWithTheRightScopesAndRolesGetThrough() async throws {
        try await GatewayHarness.withDemo { gateway in
            let withToken = try await gateway.send("POST", "/v1/orders", headers: Self.json.merging(DemoCredentials.bearer) { $1 }, body: Self.order)
            #expect(withToken.status == 200)
            let withKey = try await gateway.send(
                "POST", "/v1/orders", headers: Self.json.merging(["X-API-Key": DemoCredentials.partnerKey]) { $1 }, body: Self.order
            )
            #expect(withKey.status == 200)
            let listed = try await gateway.send("GET", "/v1/orders", headers: ["X-API-Key": DemoCredentials.readOnlyKey])
            #expect(listed.status == 200)

            let notAdmin = try await gateway.send("DELETE", "/v1/users/u3", headers: DemoCredentials.bearer)
            #expect(notAdmin.status == 403)
            #expect(notAdmin.header("www-authenticate")?.contains(#"error="insufficient_scope""#) == true)
            let admin = try await Self.demoToken(["--sub", "root", "--roles", "admin"])
            let deleted = try await gateway.send("DELETE", "/v1/users/u3", headers: ["Authorization": "Bearer \(admin)"])
            #expect(deleted.status == 200)
            let keyOnJWTRoute = try await gateway.send("DELETE", "/v1/users/u3", headers: ["X-API-Key": DemoCredentials.partnerKey])
            #expect(keyOnJWTRoute.status == 401)
        }
    }

    /// On a stopped clock, so that no request is let through by time passing on a loaded machine.
    @Test func anAPIKeysPlanReplacesTheRouteLimit() async throws {
        try await GatewayHarness.withDemo(clock: ManualClock()) { gateway in
            var anonymous: [Int] = []
            for _ in 0..<6 {
                anonymous.append(try await gateway.send("GET", "/v1/products?category=CATEGORY_BOOKS").status)
            }
            #expect(anonymous == [200, 200, 200, 200, 200, 429])

            var free: [Int] = []
            for _ in 0..<6 {
                free.append(try await gateway.send("GET", "/v1/orders", headers: ["X-API-Key": DemoCredentials.readOnlyKey]).status)
            }
            #expect(free == [200, 200, 200, 200, 200, 429])
            let gold = try await gateway.send("GET", "/v1/orders", headers: ["X-API-Key": DemoCredentials.partnerKey])
            #expect(gold.status == 200)
            #expect(gold.header("ratelimit-policy") == #""gold";q=600;w=60"#)
            let token = try await gateway.send("GET", "/v1/orders", headers: DemoCredentials.bearer)
            #expect(token.header("ratelimit-policy") == #""ListOrders";q=60;w=60"#)
        }
    }

    @Test func forwardedClaimsReplaceWhatTheClientSent() async throws {
        let mappings = try GatewayHarness.mappings(
            gatewayBase: """
                listen: 127.0.0.1:0
                access_log: off
                auth:
                  jwt:
                    issuer: https://auth.demo.portico.dev
                    audiences: [portico-demo]
                    hs_secret: portico-demo-secret-change-me-0123456789abcdef
                  forward:
                    sub: x-user-id
                    scope: x-user-scopes
                headers:
                  request: [accept-language, x-user-id, x-user-scopes]
                  response: [x-probe]
                """,
            routes: """
                  - selector: probe.v1.ProbeService.Echo
                    auth: jwt
                """
        )
        let token = try await Self.demoToken(["--sub", "alice", "--scope", "echo:read"])
        try await GatewayHarness.withProbe(mappings: mappings) { gateway in
            let spoofed = ["Authorization": "Bearer \(token)", "X-User-Id": "admin", "X-User-Scopes": "everything", "Accept-Language": "fr"]
            let reply = try await gateway.send("POST", "/v1/echo", headers: Self.json.merging(spoofed) { $1 }, body: "{}")
            #expect(reply.status == 200)
            let metadata = try reply.object
            #expect(metadata["x-user-id"] as? String == "alice")
            #expect(metadata["x-user-scopes"] as? String == "echo:read")
            #expect(metadata["accept-language"] as? String == "fr")
            #expect(metadata["authorization"] == nil, "Authorization is not forwarded unless configured")

            let anonymous = try await gateway.send("POST", "/v1/echo", headers: Self.json.merging(["X-User-Id": "admin"]) { $1 }, body: "{}")
            #expect(anonymous.status == 401)
        }
    }
}
