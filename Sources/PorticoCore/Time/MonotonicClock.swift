public import NIOCore

/// A source of monotonic time, injected into every stage that measures time so tests can drive it by hand.
public protocol MonotonicClock: Sendable {
    /// The current instant; only differences between instants mean anything.
    func now() -> NIODeadline
}

/// The process's monotonic clock.
public struct SystemMonotonicClock: MonotonicClock {
    public init() {}

    public func now() -> NIODeadline {
        .now()
    }
}
