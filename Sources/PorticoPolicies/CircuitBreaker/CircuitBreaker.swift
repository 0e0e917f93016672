import NIOCore
public import PorticoCore
import Synchronization

/// One backend's circuit breaker: a ``StateMachine`` behind a lock, shared by every event loop.
///
/// The pipeline asks ``admit()`` before a call and reports the call's ``Outcome`` with the ticket it got.
/// Transitions are returned so the caller can log them.
public final class CircuitBreaker: Sendable {
    /// The backend the breaker guards, for logs and the admin listing.
    public let backend: String
    private let machine: Mutex<StateMachine>
    private let clock: any MonotonicClock

    public init(backend: String, policy: CircuitBreakerPolicy, clock: any MonotonicClock) {
        self.backend = backend
        machine = Mutex(StateMachine(policy: policy))
        self.clock = clock
    }

    /// Whether a call may go ahead now, and the transition that caused (half-open on the first probe).
    public func admit() -> (admission: StateMachine.Admission, transition: StateMachine.Transition?) {
        let now = clock.now()
        return machine.withLock { $0.admit(now: now) }
    }

    /// Reports how an admitted call ended; returns the transition it caused, if any.
    public func record(_ outcome: StateMachine.Outcome, ticket: StateMachine.Ticket) -> StateMachine.Transition? {
        let now = clock.now()
        return machine.withLock { $0.record(outcome, ticket: ticket, now: now) }
    }

    /// The current state's name (`closed`, `open`, `half_open`) and the calls in flight.
    public func snapshot() -> (state: String, inFlight: Int) {
        machine.withLock { ($0.stateName, $0.inFlight) }
    }
}
