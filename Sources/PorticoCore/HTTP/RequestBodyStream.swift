import NIOCore

/// A request body read while the request is already being answered: a client stream whose messages go to
/// the backend as they arrive. Usable from any thread; the work happens on the connection's event loop.
///
/// The listener appends what it reads and stops reading once more than ``highWater`` bytes wait; the
/// consumer takes chunks with ``next()``, and the listener is told to read again (its ``onResume``) once the
/// queue is back under half of that. So a backend that reads slowly holds the client back through TCP.
package final class RequestBodyStream: Sendable {
    /// How many unread bytes pause the listener.
    package static let highWater = 64 * 1024

    final class State {
        var queue = CircularBuffer<ByteBuffer>()
        var queuedBytes = 0
        var isFinished = false
        var failure: (any Error)?
        var waiter: EventLoopPromise<ByteBuffer?>?
        var isPaused = false
        var onResume: (() -> Void)?
    }

    private let state: NIOLoopBoundBox<State>

    /// A stream for a connection on `eventLoop`; created on it.
    package init(eventLoop: any EventLoop) {
        state = NIOLoopBoundBox(State(), eventLoop: eventLoop)
    }

    package var eventLoop: any EventLoop { state.eventLoop }

    // MARK: The listener's side

    /// What the listener does to read again after ``append(_:)`` asked it to pause.
    package func setOnResume(_ resume: @escaping () -> Void) {
        state.value.onResume = resume
    }

    /// Adds read bytes; `false` when the listener should stop reading until resumed.
    package func append(_ chunk: ByteBuffer) -> Bool {
        let state = self.state.value
        guard !state.isFinished, state.failure == nil else { return true }
        if let waiter = state.waiter {
            state.waiter = nil
            waiter.succeed(chunk)
            return true
        }
        state.queue.append(chunk)
        state.queuedBytes += chunk.readableBytes
        if state.queuedBytes > Self.highWater { state.isPaused = true }
        return !state.isPaused
    }

    /// The request's end.
    package func finish() {
        let state = self.state.value
        guard !state.isFinished else { return }
        state.isFinished = true
        if state.queue.isEmpty, let waiter = state.waiter {
            state.waiter = nil
            waiter.succeed(nil)
        }
    }

    /// The request broke off (the connection closed, or the listener refused the rest).
    package func fail(_ error: any Error) {
        let state = self.state.value
        guard !state.isFinished, state.failure == nil else { return }
        state.failure = error
        state.waiter?.fail(error)
        state.waiter = nil
    }

    // MARK: The consumer's side

    /// The next chunk, or `nil` at the request's end; fails when the request broke off.
    package func next() -> EventLoopFuture<ByteBuffer?> {
        let state = self.state.value
        let eventLoop = self.state.eventLoop
        if let chunk = state.queue.popFirst() {
            state.queuedBytes -= chunk.readableBytes
            if state.isPaused, state.queuedBytes <= Self.highWater / 2 {
                state.isPaused = false
                state.onResume?()
            }
            return eventLoop.makeSucceededFuture(chunk)
        }
        if let failure = state.failure { return eventLoop.makeFailedFuture(failure) }
        if state.isFinished { return eventLoop.makeSucceededFuture(nil) }
        let promise = eventLoop.makePromise(of: ByteBuffer?.self)
        state.waiter = promise
        return promise.futureResult
    }
}
