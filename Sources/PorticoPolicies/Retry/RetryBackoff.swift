public import NIOCore

/// Exponential backoff with full jitter: attempt `n` waits a random time in `[0, min(cap, base * 2^n))`.
///
/// Full jitter spreads the retries of many clients that failed together, which is what keeps a recovering
/// backend from being hit by synchronized waves.
public struct RetryBackoff: Sendable, Hashable {
    public var base: TimeAmount
    public var cap: TimeAmount

    public init(base: TimeAmount = .milliseconds(25), cap: TimeAmount = .seconds(1)) {
        self.base = base
        self.cap = cap
    }

    /// The longest wait before retry number `attempt` (0 for the first retry).
    public func ceiling(attempt: Int) -> TimeAmount {
        let shift = min(max(0, attempt), 30)
        let (scaled, overflow) = base.nanoseconds.multipliedReportingOverflow(by: Int64(1) << shift)
        return .nanoseconds(overflow ? cap.nanoseconds : min(cap.nanoseconds, scaled))
    }

    /// A wait before retry number `attempt`, drawn from `generator`.
    public func delay(attempt: Int, using generator: inout some RandomNumberGenerator) -> TimeAmount {
        let ceiling = ceiling(attempt: attempt).nanoseconds
        guard ceiling > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0..<ceiling, using: &generator))
    }
}
