public import NIOCore
import PorticoCore

extension CircuitBreaker {
    /// The breaker's states and transitions as a pure value: closed, open, half-open.
    ///
    /// Closed counts failures (consecutive, and the ratio over a rolling window); reaching either threshold
    /// opens it. Open refuses every call until `openDuration` has passed, then the next call finds it
    /// half-open. Half-open admits up to `halfOpenProbes` calls at once; that many successes close it, one
    /// failure opens it again. A concurrency cap, when set, refuses calls beyond it in any state.
    public struct StateMachine: Sendable {
        /// What ``admit(now:)`` decided.
        public enum Admission: Sendable, Hashable {
            case admitted(Ticket)
            /// Refused at once; `retryAfter` is when the breaker may admit again.
            case rejected(reason: Rejection, retryAfter: TimeAmount)
        }

        /// Why a call was refused.
        public enum Rejection: Sendable, Hashable {
            case open
            case halfOpenProbesBusy
            case tooManyConcurrentRequests
        }

        /// Given with an admission and handed back with the outcome.
        public struct Ticket: Sendable, Hashable {
            /// Whether the call is one of the half-open probes.
            public var isProbe: Bool
            /// The breaker generation the call was admitted in; outcomes of older generations still release
            /// their concurrency slot but no longer move the state.
            var generation: Int
        }

        /// How an admitted call ended.
        public enum Outcome: Sendable, Hashable {
            case success
            case failure
            /// The call ended in a way that says nothing about the backend's health (a client error, say).
            case ignored
        }

        /// A change of state, for the log.
        public enum Transition: Sendable, Hashable {
            case opened
            case halfOpened
            case closed
        }

        private enum State: Sendable {
            case closed(consecutiveFailures: Int)
            case open(until: NIODeadline)
            case halfOpen(probesInFlight: Int, successes: Int)
        }

        private let policy: CircuitBreakerPolicy
        private var state = State.closed(consecutiveFailures: 0)
        private var window: RollingWindow
        private var generation = 0
        /// Calls admitted and not yet recorded.
        public private(set) var inFlight = 0

        public init(policy: CircuitBreakerPolicy) {
            self.policy = policy
            window = RollingWindow(window: policy.window)
        }

        /// `closed`, `open` or `half_open`.
        public var stateName: String {
            switch state {
            case .closed: "closed"
            case .open: "open"
            case .halfOpen: "half_open"
            }
        }

        /// Decides whether a call may start at `now`; the transition is `.halfOpened` when this call is the
        /// first probe after the open period.
        public mutating func admit(now: NIODeadline) -> (admission: Admission, transition: Transition?) {
            if let cap = policy.maxConcurrentRequests, inFlight >= cap {
                return (.rejected(reason: .tooManyConcurrentRequests, retryAfter: .seconds(1)), nil)
            }
            switch state {
            case .closed:
                inFlight += 1
                return (.admitted(Ticket(isProbe: false, generation: generation)), nil)
            case .open(let until):
                guard now >= until else {
                    let wait = TimeAmount.nanoseconds(Int64(until.uptimeNanoseconds - now.uptimeNanoseconds))
                    return (.rejected(reason: .open, retryAfter: wait), nil)
                }
                generation += 1
                state = .halfOpen(probesInFlight: 1, successes: 0)
                inFlight += 1
                return (.admitted(Ticket(isProbe: true, generation: generation)), .halfOpened)
            case .halfOpen(let probes, let successes):
                guard probes < policy.halfOpenProbes else {
                    return (.rejected(reason: .halfOpenProbesBusy, retryAfter: policy.openDuration), nil)
                }
                state = .halfOpen(probesInFlight: probes + 1, successes: successes)
                inFlight += 1
                return (.admitted(Ticket(isProbe: true, generation: generation)), nil)
            }
        }

        /// Records how an admitted call ended and returns the transition it caused, if any.
        public mutating func record(_ outcome: Outcome, ticket: Ticket, now: NIODeadline) -> Transition? {
            inFlight = max(0, inFlight - 1)
            guard ticket.generation == generation else { return nil }
            switch state {
            case .closed(let consecutive):
                guard outcome != .ignored else { return nil }
                window.record(failure: outcome == .failure, at: now)
                let failures = outcome == .failure ? consecutive + 1 : 0
                state = .closed(consecutiveFailures: failures)
                return shouldOpen(consecutiveFailures: failures, now: now) ? open(now: now) : nil
            case .open:
                return nil
            case .halfOpen(let probes, let successes):
                switch outcome {
                case .failure:
                    return open(now: now)
                case .ignored:
                    state = .halfOpen(probesInFlight: max(0, probes - 1), successes: successes)
                    return nil
                case .success:
                    if successes + 1 >= policy.halfOpenProbes {
                        generation += 1
                        state = .closed(consecutiveFailures: 0)
                        window.reset()
                        return .closed
                    }
                    state = .halfOpen(probesInFlight: max(0, probes - 1), successes: successes + 1)
                    return nil
                }
            }
        }

        private mutating func shouldOpen(consecutiveFailures: Int, now: NIODeadline) -> Bool {
            if policy.consecutiveFailures > 0, consecutiveFailures >= policy.consecutiveFailures {
                return true
            }
            guard let ratio = policy.failureRatio else { return false }
            let totals = window.totals(at: now)
            return totals.requests >= policy.minimumRequests
                && Double(totals.failures) >= ratio * Double(totals.requests)
        }

        private mutating func open(now: NIODeadline) -> Transition {
            generation += 1
            state = .open(until: now + policy.openDuration)
            window.reset()
            return .opened
        }
    }
}
