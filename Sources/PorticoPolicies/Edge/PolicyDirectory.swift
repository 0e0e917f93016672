import PorticoConfig
import PorticoCore
import Synchronization

/// The policy state that outlives a reload: the rate limiter's keys, each backend's breaker and retry budget.
///
/// A reload asks for them again with the new settings; it gets the same instance back while the settings
/// are unchanged, so reloading neither hands every client a fresh burst nor closes an open breaker. Changed
/// settings get a fresh instance.
package final class PolicyDirectory: Sendable {
    private struct State {
        var limiter: (capacity: Int, limiter: RateLimiter)?
        var breakers: [String: (settings: CircuitBreakerSettings, breaker: CircuitBreaker)] = [:]
        var budgets: [String: (settings: RetrySettings, budget: RetryBudget)] = [:]
    }

    private let clock: any MonotonicClock
    private let state = Mutex(State())

    package init(clock: any MonotonicClock) {
        self.clock = clock
    }

    /// The rate limiter remembering at most `capacity` keys.
    package func rateLimiter(capacity: Int) -> RateLimiter {
        state.withLock { state in
            if let current = state.limiter, current.capacity == capacity { return current.limiter }
            let limiter = RateLimiter(capacity: capacity, clock: clock)
            state.limiter = (capacity, limiter)
            return limiter
        }
    }

    /// The breaker of `backend` under `settings`.
    package func breaker(backend: String, settings: CircuitBreakerSettings) -> CircuitBreaker {
        state.withLock { state in
            if let current = state.breakers[backend], current.settings == settings { return current.breaker }
            let breaker = CircuitBreaker(backend: backend, policy: CircuitBreakerPolicy(settings), clock: clock)
            state.breakers[backend] = (settings, breaker)
            return breaker
        }
    }

    /// The retry budget of `backend` under `settings`.
    package func retryBudget(backend: String, settings: RetrySettings) -> RetryBudget {
        state.withLock { state in
            if let current = state.budgets[backend], current.settings == settings { return current.budget }
            let budget = RetryBudget(ratio: settings.budget, minimumRetries: settings.minimumRetries, clock: clock)
            state.budgets[backend] = (settings, budget)
            return budget
        }
    }
}
