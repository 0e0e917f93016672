public import NIOCore

/// The answer of a rate limiter for one request.
public struct RateLimitDecision: Sendable, Hashable {
    public var isAllowed: Bool
    /// Requests the key may still make right now.
    public var remaining: Int
    /// When a refused request may be retried; zero when allowed.
    public var retryAfter: TimeAmount
    /// When the key's full burst is available again.
    public var resetAfter: TimeAmount
    public var policy: RateLimitPolicy

    /// `Retry-After` in whole seconds, rounded up so a client that waits that long is admitted.
    public var retryAfterSeconds: Int64 {
        Self.secondsRoundedUp(retryAfter)
    }

    /// The `RateLimit-Policy` header (draft-ietf-httpapi-ratelimit-headers): `"name";q=limit;w=seconds`.
    public var policyHeader: String {
        "\"\(policy.name)\";q=\(policy.limit);w=\(Self.secondsRoundedUp(policy.period))"
    }

    /// The `RateLimit` header: `"name";r=remaining;t=seconds until the quota is whole again`.
    public var limitHeader: String {
        "\"\(policy.name)\";r=\(remaining);t=\(Self.secondsRoundedUp(resetAfter))"
    }

    private static func secondsRoundedUp(_ amount: TimeAmount) -> Int64 {
        amount.nanoseconds <= 0 ? 0 : (amount.nanoseconds + 999_999_999) / 1_000_000_000
    }
}
