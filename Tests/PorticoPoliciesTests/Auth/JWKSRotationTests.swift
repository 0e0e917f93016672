import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import PorticoConfig
import PorticoPolicies
import PorticoTesting
import Testing

/// Keys from a JWKS URL: the first fetch, rotation by `kid`, the refetch rate limit, a server that is down.
@Suite struct JWKSRotationTests {
    static func settings(url: String) -> JWTSettings {
        JWTSettings(
            issuers: [AuthWorld.issuer],
            audiences: [AuthWorld.audience],
            jwksURL: Located(url, at: AuthWorld.location("auth.jwt.jwks_url")),
            jwksMinRefetch: .seconds(30),
            jwksTimeout: .milliseconds(300)
        )
    }

    static func authenticator(url: String, clock: ManualClock) throws -> Authenticator {
        try Authenticator(
            settings: AuthSettings(jwt: settings(url: url)),
            files: AuthKeyFiles(contents: [:]),
            eventLoopGroup: AuthWorld.group,
            wallClock: { AuthWorld.now },
            clock: clock
        )
    }

    static func token(kid: String) -> HTTPHeaders {
        AuthWorld.bearer(TestToken.make(.es256, kid: kid, claims: AuthWorld.claims()))
    }

    @Test func aPeriodicRefreshPicksUpANewKeyBeforeAnyTokenAsksForIt() async throws {
        let server = try await JWKSTestServer.start(serving: TestKeys.jwks([TestKeys.p256JWK(kid: "k1")]), group: AuthWorld.group)
        let authenticator = try Self.authenticator(url: server.url, clock: ManualClock())
        try await authenticator.keysReady.get()
        #expect(authenticator.keyRefreshPeriod == .minutes(10), "jwks_refresh's default")
        server.serve(TestKeys.jwks([TestKeys.p256JWK(kid: "k1"), TestKeys.p256JWK(kid: "k2")]))
        try await authenticator.refreshKeys().get()
        #expect(server.requestCount == 2)
        #expect(await AuthWorld.outcome(authenticator, headers: Self.token(kid: "k2")).value != nil)
        #expect(server.requestCount == 2, "the refreshed keys answered; no refetch for the kid")
        try await server.stop()
    }

    @Test func rotatesKeysByKidWithinTheRefetchLimit() async throws {
        let server = try await JWKSTestServer.start(serving: TestKeys.jwks([TestKeys.p256JWK(kid: "k1")]), group: AuthWorld.group)
        let clock = ManualClock()
        let authenticator = try Self.authenticator(url: server.url, clock: clock)
        try await authenticator.keysReady.get()
        #expect(server.requestCount == 1)
        #expect(await AuthWorld.outcome(authenticator, headers: Self.token(kid: "k1")).value != nil)

        // The identity provider rotates to k2; the first fetch was just now, so no refetch yet.
        server.serve(TestKeys.jwks([TestKeys.p256JWK(kid: "k1"), TestKeys.p256JWK(kid: "k2")]))
        let tooSoon = await AuthWorld.outcome(authenticator, headers: Self.token(kid: "k2"))
        #expect(tooSoon.failure?.message == "invalid token: no key matches the token's kid")
        #expect(server.requestCount == 1)

        clock.advance(by: .seconds(30))
        let rotated = await AuthWorld.outcome(authenticator, headers: Self.token(kid: "k2"))
        #expect(rotated.value != nil, "\(String(describing: rotated.failure))")
        #expect(server.requestCount == 2)

        // A second unknown kid within the interval does not fetch again.
        server.serve(TestKeys.jwks([TestKeys.p256JWK(kid: "k3")]))
        clock.advance(by: .seconds(29))
        let limited = await AuthWorld.outcome(authenticator, headers: Self.token(kid: "k3"))
        #expect(limited.failure?.status == 401)
        #expect(server.requestCount == 2)
        #expect(await AuthWorld.outcome(authenticator, headers: Self.token(kid: "k2")).value != nil)

        try await server.stop()
    }

    @Test func concurrentRequestsShareOneFetch() async throws {
        let server = try await JWKSTestServer.start(serving: TestKeys.jwks([TestKeys.p256JWK(kid: "k1")]), group: AuthWorld.group)
        let clock = ManualClock()
        let authenticator = try Self.authenticator(url: server.url, clock: clock)
        try await authenticator.keysReady.get()
        server.serve(TestKeys.jwks([TestKeys.p256JWK(kid: "k2")]))
        clock.advance(by: .seconds(60))
        let loop = AuthWorld.group.next()
        let futures = (0..<5).map { _ in
            authenticator.authenticate(headers: Self.token(kid: "k2"), query: nil, requirement: AuthRequirement(mode: .jwt), on: loop)
        }
        for future in futures {
            #expect(try await future.get()?.subject == "user-1")
        }
        #expect(server.requestCount == 2)
        try await server.stop()
    }

    @Test func aServerThatIsDownGives401() async throws {
        let server = try await JWKSTestServer.start(serving: "", group: AuthWorld.group)
        let url = server.url
        try await server.stop()
        let clock = ManualClock()
        let authenticator = try Self.authenticator(url: url, clock: clock)
        try await authenticator.keysReady.get()
        let failure = await AuthWorld.outcome(authenticator, headers: Self.token(kid: "k1")).failure
        #expect(failure?.status == 401)
        clock.advance(by: .seconds(31))
        let afterRefetch = await AuthWorld.outcome(authenticator, headers: Self.token(kid: "k1")).failure
        #expect(afterRefetch?.message == "invalid token: no key matches the token's kid")
    }

    @Test func anUntrustedCertificateIsRefused() async throws {
        let certificates = try NIOSSLCertificate.fromPEMFile(Fixtures.url("auth/self-signed-cert.pem").path)
        let key = try NIOSSLPrivateKey(file: Fixtures.url("auth/self-signed-key.pem").path, format: .pem)
        let tls = try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(key)))
        let server = try await JWKSTestServer.start(serving: TestKeys.jwks([TestKeys.p256JWK(kid: "k1")]), group: AuthWorld.group, tls: tls)
        #expect(server.url.hasPrefix("https://"))
        let authenticator = try Self.authenticator(url: server.url, clock: ManualClock())
        try await authenticator.keysReady.get()
        let failure = await AuthWorld.outcome(authenticator, headers: Self.token(kid: "k1")).failure
        #expect(failure?.message == "invalid token: no key matches the token's kid")
        #expect(server.requestCount == 0)
        try await server.stop()
    }

    @Test func aBadDocumentKeepsThePreviousKeys() async throws {
        let server = try await JWKSTestServer.start(serving: TestKeys.jwks([TestKeys.p256JWK(kid: "k1")]), group: AuthWorld.group)
        let clock = ManualClock()
        let authenticator = try Self.authenticator(url: server.url, clock: clock)
        try await authenticator.keysReady.get()
        server.serve("{\"not\": \"a jwks\"}")
        clock.advance(by: .seconds(31))
        #expect(await AuthWorld.outcome(authenticator, headers: Self.token(kid: "k9")).failure?.status == 401)
        #expect(server.requestCount == 2)
        #expect(await AuthWorld.outcome(authenticator, headers: Self.token(kid: "k1")).value != nil)
        try await server.stop()
    }
}
