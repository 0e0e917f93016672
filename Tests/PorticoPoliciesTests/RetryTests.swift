import NIOCore
import PorticoPolicies
import PorticoTesting
import Testing

@Suite struct RetryTests {
    @Test func theBudgetAllowsOneRetryPerFiveRequestsAboveTheMinimum() {
        let clock = ManualClock()
        let budget = RetryBudget(ratio: 0.2, minimumRetries: 2, window: .seconds(10), clock: clock)
        #expect(budget.withdrawRetry())
        #expect(budget.withdrawRetry())
        #expect(!budget.withdrawRetry())
        for _ in 0..<20 { budget.recordRequest() }
        #expect(budget.withdrawRetry())
        #expect(budget.withdrawRetry())
        #expect(!budget.withdrawRetry())
        clock.advance(by: .seconds(11))
        #expect(budget.withdrawRetry())
    }

    @Test func backoffCeilingsDoubleUpToTheCap() {
        let backoff = RetryBackoff(base: .milliseconds(25), cap: .milliseconds(150))
        #expect((0..<5).map { backoff.ceiling(attempt: $0) } == [.milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(150), .milliseconds(150)])
        #expect(backoff.ceiling(attempt: 500) == .milliseconds(150))
    }

    @Test func delaysStayBelowTheCeiling() {
        var generator = SystemRandomNumberGenerator()
        let backoff = RetryBackoff(base: .milliseconds(10), cap: .seconds(1))
        for attempt in 0..<8 {
            let delay = backoff.delay(attempt: attempt, using: &generator)
            #expect(delay >= .zero && delay < backoff.ceiling(attempt: attempt))
        }
    }
}
