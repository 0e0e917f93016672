import NIOCore

/// Exponential reconnection backoff with jitter (gRPC's connection-backoff algorithm), as a pure value.
public struct ConnectionBackoff: Sendable {
    /// The backoff parameters.
    public struct Policy: Sendable {
        /// The first delay.
        public var initial: TimeAmount = .seconds(1)
        /// The factor between consecutive delays.
        public var multiplier = 1.6
        /// The fraction (0…1) by which each delay is randomly spread up or down.
        public var jitter = 0.2
        /// The longest delay.
        public var maximum: TimeAmount = .seconds(120)

        /// The default policy (1 s, ×1.6, ±20 %, at most 120 s).
        public init() {}

        /// A policy with explicit parameters.
        public init(initial: TimeAmount, multiplier: Double = 1.6, jitter: Double = 0.2, maximum: TimeAmount) {
            self.initial = initial
            self.multiplier = multiplier
            self.jitter = jitter
            self.maximum = maximum
        }
    }

    let policy: Policy
    private var current: Double

    init(policy: Policy) {
        self.policy = policy
        current = Double(policy.initial.nanoseconds)
    }

    /// The delay before the next attempt; `random` yields a value in `-1...1` (injected for tests).
    mutating func nextDelay(random: () -> Double) -> TimeAmount {
        let base = current
        current = min(current * policy.multiplier, Double(policy.maximum.nanoseconds))
        let spread = base * policy.jitter * max(-1, min(1, random()))
        return .nanoseconds(Int64(max(0, base + spread)))
    }

    /// Back to the initial delay, after a successful connect.
    mutating func reset() {
        current = Double(policy.initial.nanoseconds)
    }
}
