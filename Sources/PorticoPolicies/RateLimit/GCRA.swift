public import NIOCore

/// The generic cell rate algorithm as a pure function of one key's theoretical arrival time (TAT).
///
/// The TAT is when the key's schedule says its next request is due. A request at `now` is admitted when
/// the TAT is at most `tolerance` ahead of `now`; admitting moves the TAT one emission interval further.
public enum GCRA {
    /// The decision for a request at `now`, and the key's TAT afterwards (unchanged when refused).
    public static func decide(
        tat stored: NIODeadline?,
        now: NIODeadline,
        policy: RateLimitPolicy
    ) -> (decision: RateLimitDecision, tat: NIODeadline?) {
        let interval = policy.emissionInterval.nanoseconds
        let tolerance = policy.tolerance.nanoseconds
        let tat = max(stored ?? now, now)
        let ahead = tat.uptimeNanoseconds - now.uptimeNanoseconds
        if Int64(ahead) > tolerance {
            let decision = RateLimitDecision(
                isAllowed: false,
                remaining: 0,
                retryAfter: .nanoseconds(Int64(ahead) - tolerance),
                resetAfter: .nanoseconds(Int64(ahead)),
                policy: policy
            )
            return (decision, stored)
        }
        let next = tat + .nanoseconds(interval)
        let used = Int64(next.uptimeNanoseconds - now.uptimeNanoseconds)
        let remaining = max(0, Int((tolerance + interval - used) / interval))
        let decision = RateLimitDecision(
            isAllowed: true,
            remaining: remaining,
            retryAfter: .zero,
            resetAfter: .nanoseconds(used),
            policy: policy
        )
        return (decision, next)
    }
}
