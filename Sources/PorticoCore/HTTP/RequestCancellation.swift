import Synchronization

/// Work a request started on the client's behalf, which stops when the client goes away (a backend call).
public protocol CancellableWork: Sendable {
    /// Stops the work; does nothing once it is over.
    func cancel()
}

/// Tells the stages that the client has gone away before its answer.
///
/// The listener keeps one per connection and re-arms it for each request (a connection carries one request
/// at a time), and fires it when the connection closes while a request is being answered; a stage that
/// starts work for the client (a backend call) registers it here. Work registered after the cancellation is
/// cancelled at once. Safe to use from any thread.
package final class RequestCancellation: Sendable {
    private enum State {
        case waiting((any CancellableWork)?)
        case cancelled
    }

    private let state = Mutex(State.waiting(nil))

    package init() {}

    /// Whether the client has gone away.
    package var isCancelled: Bool {
        state.withLock { state in
            if case .cancelled = state { return true }
            return false
        }
    }

    /// Makes `work` the work to cancel, replacing the one before (a retried call replaces the attempt before
    /// it); cancels it at once when the request is already cancelled.
    package func onCancel(_ work: any CancellableWork) {
        let cancelled = state.withLock { state in
            guard case .waiting = state else { return true }
            state = .waiting(work)
            return false
        }
        if cancelled { work.cancel() }
    }

    /// Marks the request cancelled and cancels its registered work, once.
    package func cancel() {
        let work = state.withLock { state -> (any CancellableWork)? in
            guard case .waiting(let work) = state else { return nil }
            state = .cancelled
            return work
        }
        work?.cancel()
    }

    /// Clears the registered work for the connection's next request.
    package func rearm() {
        state.withLock { $0 = .waiting(nil) }
    }
}
