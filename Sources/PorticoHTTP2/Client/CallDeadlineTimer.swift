import NIOCore
import PorticoCore

/// One timer for the deadlines of many calls on an event loop, instead of one scheduled task per call.
///
/// It is armed for the earliest deadline it was told of. When it fires, `sweep` ends the calls whose
/// deadline has passed and returns the earliest deadline still running, for which it arms again. A call
/// that finishes first leaves the timer as it is: the sweep then finds nothing to end. Confined to its
/// event loop; not `Sendable`.
final class CallDeadlineTimer {
    private let sweep: () -> NIODeadline?
    private var armed: (deadline: NIODeadline, task: Scheduled<Void>)?

    /// `sweep` ends the expired calls and returns the next deadline among those left, if any.
    init(sweep: @escaping () -> NIODeadline?) {
        self.sweep = sweep
    }

    /// Makes sure the timer fires by `deadline`.
    func arm(for deadline: NIODeadline, on eventLoop: any EventLoop) {
        if let armed, armed.deadline <= deadline { return }
        armed?.task.cancel()
        let task = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] () -> Void in
            self?.fire(on: eventLoop)
        }
        armed = (deadline, task)
    }

    /// Stops the timer (its owner closed).
    func cancel() {
        armed?.task.cancel()
        armed = nil
    }

    private func fire(on eventLoop: any EventLoop) {
        armed = nil
        if let next = sweep() { arm(for: next, on: eventLoop) }
    }
}

extension Sequence<GRPCClientCall> {
    /// Ends the calls whose deadline is `now` or before with `DEADLINE_EXCEEDED`, and returns the earliest
    /// deadline of the others.
    func expireDeadlines(now: NIODeadline) -> NIODeadline? {
        var expired: [GRPCClientCall] = []
        var next: NIODeadline?
        for call in self {
            guard let deadline = call.options.deadline, !call.isFinished else { continue }
            if deadline <= now {
                expired.append(call)
            } else {
                next = Swift.min(next ?? deadline, deadline)
            }
        }
        for call in expired { call.cancel(.local(.deadlineExceeded, "deadline exceeded")) }
        return next
    }
}
