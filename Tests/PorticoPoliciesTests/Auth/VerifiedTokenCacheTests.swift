import NIOHTTP1
import PorticoConfig
@testable import PorticoPolicies
import Synchronization
import Testing

/// Verified tokens are remembered until they expire, within a fixed capacity.
@Suite struct VerifiedTokenCacheTests {
    @Test func aRememberedTokenStillExpiresAndIsStillAuthorized() async throws {
        let clock = Mutex(AuthWorld.now)
        let authenticator = try Authenticator(
            settings: AuthSettings(jwt: AuthWorld.jwtSettings(leeway: .zero)),
            files: AuthKeyFiles(contents: ["keys/jwks.json": AuthWorld.jwksFile]),
            eventLoopGroup: AuthWorld.group,
            wallClock: { clock.withLock { $0 } }
        )
        let headers = AuthWorld.bearer(TokenMatrixTests.es256(["exp": AuthWorld.now + 100]))
        #expect(await AuthWorld.outcome(authenticator, headers: headers).value != nil)
        #expect(await AuthWorld.outcome(authenticator, headers: headers).value != nil)
        let write = AuthRequirement(mode: .jwt, scopes: ["admin"])
        #expect(await AuthWorld.outcome(authenticator, headers: headers, requirement: write).failure?.status == 403)
        clock.withLock { $0 = AuthWorld.now + 100 }
        #expect(await AuthWorld.outcome(authenticator, headers: headers).failure?.message == "invalid token: the token has expired")
    }

    @Test func theOldestTokenGivesWay() {
        let cache = VerifiedTokenCache(capacity: 2)
        let principal = Principal(kind: .jwt, subject: "s")
        cache.store("a", principal: principal, expiry: 10)
        cache.store("b", principal: principal, expiry: 10)
        cache.store("a", principal: principal, expiry: 20)
        #expect(cache.count == 2)
        cache.store("c", principal: principal, expiry: 10)
        #expect(cache.count == 2)
        #expect(cache.principal(for: "a", now: 0) == nil)
        #expect(cache.principal(for: "b", now: 0) != nil)
        #expect(cache.principal(for: "c", now: 10) == nil)
        #expect(cache.count == 1)
    }
}
