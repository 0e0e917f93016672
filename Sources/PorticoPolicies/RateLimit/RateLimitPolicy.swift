public import NIOCore

/// A rate limit as the generic cell rate algorithm (GCRA) enforces it: `limit` requests per `period`, of
/// which up to `burst` may arrive at once.
///
/// One request "costs" the emission interval `period / limit`; a key may run ahead of its schedule by
/// `burst - 1` intervals. `limit: 100, period: 1m, burst: 10` admits 10 requests at once and then one every
/// 0.6 s, which is 100 a minute in the long run.
public struct RateLimitPolicy: Sendable, Hashable {
    /// The policy's name, shown in the `RateLimit-Policy` and `RateLimit` headers.
    public var name: String
    public var limit: Int
    public var period: TimeAmount
    public var burst: Int

    /// - Precondition: `limit > 0`, `period > 0` and `burst > 0`; the configuration loader checks them.
    public init(name: String, limit: Int, period: TimeAmount, burst: Int) {
        precondition(limit > 0 && period.nanoseconds > 0 && burst > 0, "a rate limit needs a positive limit, period and burst")
        self.name = name
        self.limit = limit
        self.period = period
        self.burst = burst
    }

    /// The time one request costs.
    public var emissionInterval: TimeAmount {
        .nanoseconds(max(1, period.nanoseconds / Int64(limit)))
    }

    /// How far ahead of its schedule a key may run.
    var tolerance: TimeAmount {
        .nanoseconds(emissionInterval.nanoseconds * Int64(burst - 1))
    }
}
