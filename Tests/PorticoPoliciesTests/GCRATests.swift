import NIOCore
import PorticoPolicies
import PorticoTesting
import Testing

@Suite struct GCRATests {
    let policy = RateLimitPolicy(name: "default", limit: 10, period: .seconds(10), burst: 3)

    @Test func admitsTheBurstThenOnePerInterval() {
        let clock = ManualClock()
        let limiter = RateLimiter(capacity: 100, clock: clock)
        let burst = (0..<4).map { _ in limiter.acquire(key: "k", policy: policy) }
        #expect(burst.map(\.isAllowed) == [true, true, true, false])
        #expect(burst.map(\.remaining) == [2, 1, 0, 0])
        #expect(burst[3].retryAfter == .seconds(1))
        #expect(burst[3].retryAfterSeconds == 1)
        clock.advance(by: .milliseconds(999))
        #expect(!limiter.acquire(key: "k", policy: policy).isAllowed)
        clock.advance(by: .milliseconds(1))
        let next = limiter.acquire(key: "k", policy: policy)
        #expect(next.isAllowed)
        #expect(next.remaining == 0)
    }

    @Test func keysAreIndependent() {
        let limiter = RateLimiter(capacity: 100, clock: ManualClock())
        for _ in 0..<3 { _ = limiter.acquire(key: "a", policy: policy) }
        #expect(!limiter.acquire(key: "a", policy: policy).isAllowed)
        #expect(limiter.acquire(key: "b", policy: policy).isAllowed)
    }

    @Test func anIdleKeyRecoversItsWholeBurst() {
        let clock = ManualClock()
        let limiter = RateLimiter(capacity: 100, clock: clock)
        for _ in 0..<3 { _ = limiter.acquire(key: "k", policy: policy) }
        clock.advance(by: .seconds(3))
        #expect((0..<4).map { _ in limiter.acquire(key: "k", policy: policy).isAllowed } == [true, true, true, false])
    }

    @Test func refusalsDoNotPushTheScheduleBack() {
        let clock = ManualClock()
        let limiter = RateLimiter(capacity: 100, clock: clock)
        for _ in 0..<3 { _ = limiter.acquire(key: "k", policy: policy) }
        for _ in 0..<50 { #expect(!limiter.acquire(key: "k", policy: policy).isAllowed) }
        clock.advance(by: .seconds(1))
        #expect(limiter.acquire(key: "k", policy: policy).isAllowed)
    }

    @Test func rendersTheIETFHeaders() {
        let decision = GCRA.decide(tat: nil, now: .uptimeNanoseconds(5_000_000_000), policy: policy).decision
        #expect(decision.policyHeader == "\"default\";q=10;w=10")
        #expect(decision.limitHeader == "\"default\";r=2;t=1")
    }

    @Test func aFloodOfKeysStaysWithinCapacity() {
        let limiter = RateLimiter(capacity: 64, shardCount: 4, clock: ManualClock())
        for index in 0..<10_000 {
            _ = limiter.acquire(key: "flood-\(index)", policy: policy)
        }
        #expect(limiter.keyCount <= 64)
    }

    @Test func concurrentCallersAdmitExactlyTheBurst() async {
        let limiter = RateLimiter(capacity: 100, clock: ManualClock())
        let admitted = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    (0..<1_000).reduce(0) { count, _ in count + (limiter.acquire(key: "shared", policy: policy).isAllowed ? 1 : 0) }
                }
            }
            return await group.reduce(0, +)
        }
        #expect(admitted == 3)
    }
}

@Suite struct RateLimiterEvictionTests {
    @Test func aNewKeyTakesAnExpiredKeysSlotBeforeAnActiveOne() {
        let clock = ManualClock()
        let limiter = RateLimiter(capacity: 2, shardCount: 1, clock: clock)
        let strict = RateLimitPolicy(name: "strict", limit: 1, period: .seconds(60), burst: 1)
        let quick = RateLimitPolicy(name: "quick", limit: 1, period: .seconds(1), burst: 1)
        #expect(limiter.acquire(key: "active", policy: strict).isAllowed)
        #expect(limiter.acquire(key: "idle", policy: quick).isAllowed)
        clock.advance(by: .seconds(2))
        #expect(limiter.acquire(key: "newcomer", policy: strict).isAllowed)
        #expect(limiter.keyCount == 2)
        #expect(!limiter.acquire(key: "active", policy: strict).isAllowed, "the active key kept its state")
    }
}
