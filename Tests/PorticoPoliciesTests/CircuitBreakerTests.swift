import NIOCore
import PorticoPolicies
import PorticoTesting
import Testing

@Suite struct CircuitBreakerTests {
    typealias Machine = CircuitBreaker.StateMachine
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)

    private func ticket(_ machine: inout Machine, at now: NIODeadline) throws -> Machine.Ticket {
        guard case .admitted(let ticket) = machine.admit(now: now).admission else {
            Issue.record("expected an admission")
            throw CancellationError()
        }
        return ticket
    }

    @Test func opensAfterConsecutiveFailuresAndRefusesUntilTheOpenPeriodEnds() throws {
        var machine = Machine(policy: CircuitBreakerPolicy(consecutiveFailures: 3, failureRatio: nil, openDuration: .seconds(5)))
        for attempt in 1...3 {
            let ticket = try ticket(&machine, at: start)
            #expect(machine.record(.failure, ticket: ticket, now: start) == (attempt == 3 ? .opened : nil))
        }
        #expect(machine.stateName == "open")
        #expect(machine.admit(now: start + .seconds(2)).admission == .rejected(reason: .open, retryAfter: .seconds(3)))
    }

    @Test func aSuccessResetsTheConsecutiveCount() throws {
        var machine = Machine(policy: CircuitBreakerPolicy(consecutiveFailures: 2, failureRatio: nil))
        for outcome in [Machine.Outcome.failure, .success, .failure] {
            let ticket = try ticket(&machine, at: start)
            #expect(machine.record(outcome, ticket: ticket, now: start) == nil)
        }
        #expect(machine.stateName == "closed")
    }

    @Test func opensOnTheFailureRatioOnlyWithEnoughRequests() throws {
        var machine = Machine(policy: CircuitBreakerPolicy(consecutiveFailures: 0, failureRatio: 0.5, window: .seconds(10), minimumRequests: 4))
        var transitions: [Machine.Transition?] = []
        for outcome in [Machine.Outcome.failure, .success, .failure, .success] {
            let ticket = try ticket(&machine, at: start)
            transitions.append(machine.record(outcome, ticket: ticket, now: start))
        }
        #expect(transitions == [nil, nil, nil, .opened])
    }

    @Test func theRatioForgetsRequestsOlderThanTheWindow() throws {
        var machine = Machine(policy: CircuitBreakerPolicy(consecutiveFailures: 0, failureRatio: 0.5, window: .seconds(10), minimumRequests: 4))
        for _ in 0..<3 {
            let ticket = try ticket(&machine, at: start)
            _ = machine.record(.failure, ticket: ticket, now: start)
        }
        let later = start + .seconds(11)
        let ticket = try ticket(&machine, at: later)
        #expect(machine.record(.failure, ticket: ticket, now: later) == nil)
        #expect(machine.stateName == "closed")
    }

    @Test func halfOpenAdmitsBoundedProbesAndClosesAfterTheirSuccess() throws {
        var machine = Machine(policy: CircuitBreakerPolicy(consecutiveFailures: 1, failureRatio: nil, openDuration: .seconds(5), halfOpenProbes: 2))
        let first = try ticket(&machine, at: start)
        #expect(machine.record(.failure, ticket: first, now: start) == .opened)
        let reopen = start + .seconds(5)
        let (admission, transition) = machine.admit(now: reopen)
        #expect(transition == .halfOpened)
        guard case .admitted(let probe1) = admission else { Issue.record("expected a probe"); return }
        #expect(probe1.isProbe)
        let probe2 = try ticket(&machine, at: reopen)
        #expect(machine.admit(now: reopen).admission == .rejected(reason: .halfOpenProbesBusy, retryAfter: .seconds(5)))
        #expect(machine.record(.success, ticket: probe1, now: reopen) == nil)
        #expect(machine.record(.success, ticket: probe2, now: reopen) == .closed)
        #expect(machine.stateName == "closed")
    }

    @Test func aFailedProbeOpensAgain() throws {
        var machine = Machine(policy: CircuitBreakerPolicy(consecutiveFailures: 1, failureRatio: nil, openDuration: .seconds(5)))
        let first = try ticket(&machine, at: start)
        _ = machine.record(.failure, ticket: first, now: start)
        let probe = try ticket(&machine, at: start + .seconds(6))
        #expect(machine.record(.failure, ticket: probe, now: start + .seconds(6)) == .opened)
        #expect(machine.admit(now: start + .seconds(7)).admission == .rejected(reason: .open, retryAfter: .seconds(4)))
    }

    @Test func outcomesFromBeforeAnOpeningDoNotMoveTheNewState() throws {
        var machine = Machine(policy: CircuitBreakerPolicy(consecutiveFailures: 1, failureRatio: nil, openDuration: .seconds(5)))
        let slow = try ticket(&machine, at: start)
        let fast = try ticket(&machine, at: start)
        #expect(machine.record(.failure, ticket: fast, now: start) == .opened)
        #expect(machine.record(.success, ticket: slow, now: start) == nil)
        #expect(machine.stateName == "open")
        #expect(machine.inFlight == 0)
    }

    @Test func capsConcurrentRequests() throws {
        var machine = Machine(policy: CircuitBreakerPolicy(maxConcurrentRequests: 2))
        let first = try ticket(&machine, at: start)
        _ = try ticket(&machine, at: start)
        #expect(machine.admit(now: start).admission == .rejected(reason: .tooManyConcurrentRequests, retryAfter: .seconds(1)))
        _ = machine.record(.success, ticket: first, now: start)
        _ = try ticket(&machine, at: start)
    }

    @Test func ignoredOutcomesCountForNothing() throws {
        var machine = Machine(policy: CircuitBreakerPolicy(consecutiveFailures: 1, failureRatio: nil))
        let ticket = try ticket(&machine, at: start)
        #expect(machine.record(.ignored, ticket: ticket, now: start) == nil)
        #expect(machine.stateName == "closed")
    }

    @Test func theSharedBreakerUsesItsClock() {
        let clock = ManualClock()
        let breaker = CircuitBreaker(backend: "orders", policy: CircuitBreakerPolicy(consecutiveFailures: 1, failureRatio: nil, openDuration: .seconds(5)), clock: clock)
        guard case .admitted(let ticket) = breaker.admit().admission else { Issue.record("expected an admission"); return }
        #expect(breaker.record(.failure, ticket: ticket) == .opened)
        #expect(breaker.snapshot().state == "open")
        clock.advance(by: .seconds(5))
        #expect(breaker.admit().transition == .halfOpened)
    }
}
