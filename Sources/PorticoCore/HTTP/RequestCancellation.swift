import Synchronization

/// Tells the stages that the client has gone away before its answer.
///
/// The listener fires it when the connection closes while the request is being answered; a stage that
/// starts work on the client's behalf (a backend call) registers what stops that work. An action registered
/// after the cancellation runs at once. Safe to use from any thread.
public final class RequestCancellation: Sendable {
    private enum State {
        case waiting((@Sendable () -> Void)?)
        case cancelled
    }

    private let state = Mutex(State.waiting(nil))

    public init() {}

    /// Whether the client has gone away.
    public var isCancelled: Bool {
        state.withLock { state in
            if case .cancelled = state { return true }
            return false
        }
    }

    /// Makes `action` the one to run on cancellation, replacing the one before (a retried call replaces the
    /// attempt before it); runs it at once when the request is already cancelled.
    public func onCancel(_ action: @escaping @Sendable () -> Void) {
        let cancelled = state.withLock { state in
            guard case .waiting = state else { return true }
            state = .waiting(action)
            return false
        }
        if cancelled { action() }
    }

    /// Marks the request cancelled and runs the registered action, once.
    public func cancel() {
        let action = state.withLock { state -> (@Sendable () -> Void)? in
            guard case .waiting(let action) = state else { return nil }
            state = .cancelled
            return action
        }
        action?()
    }
}
