public import NIOCore
public import PorticoCore
import Synchronization

/// Caps retries at a share of requests over a rolling window, so retries cannot amplify an outage.
///
/// With `ratio: 0.2`, at most one retry is allowed for every five requests seen in the window, plus
/// `minimumRetries` so a quiet backend can still be retried at all.
public final class RetryBudget: Sendable {
    private struct Counts: Sendable {
        var requests: RollingWindow
        var retries: RollingWindow
    }

    public let ratio: Double
    public let minimumRetries: Int
    private let counts: Mutex<Counts>
    private let clock: any MonotonicClock

    public init(ratio: Double = 0.2, minimumRetries: Int = 10, window: TimeAmount = .seconds(10), clock: any MonotonicClock) {
        self.ratio = ratio
        self.minimumRetries = minimumRetries
        counts = Mutex(Counts(requests: RollingWindow(window: window), retries: RollingWindow(window: window)))
        self.clock = clock
    }

    /// Counts a first attempt.
    public func recordRequest() {
        let now = clock.now()
        counts.withLock { $0.requests.record(failure: false, at: now) }
    }

    /// Takes one retry from the budget; `false` when the budget is spent and the call must not be retried.
    public func withdrawRetry() -> Bool {
        let now = clock.now()
        return counts.withLock { counts in
            let requests = counts.requests.totals(at: now).requests
            let retries = counts.retries.totals(at: now).requests
            guard Double(retries + 1) <= max(Double(minimumRetries), ratio * Double(requests)) else { return false }
            counts.retries.record(failure: false, at: now)
            return true
        }
    }
}
