import NIOCore

/// A request body read while the request is already being answered: a client stream whose messages go to
/// the backend as they arrive. Usable from any thread; the work happens on the connection's event loop.
///
/// The listener appends what it reads and the consumer takes chunks with ``next()``. An HTTP/1.1 listener
/// stops reading once more than ``highWater`` bytes wait and is told to read again (its ``onResume``) once the
/// queue is back under half of that; an HTTP/2 listener gives each chunk back to the stream's flow-control
/// window once it is taken (its ``onTaken``). So a backend that reads slowly holds the client back.
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
        var onTaken: ((Int) -> Void)?
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

    /// What the listener does with the size of each chunk the consumer takes.
    package func setOnTaken(_ taken: @escaping (Int) -> Void) {
        state.value.onTaken = taken
    }

    /// Adds read bytes; `false` when the listener should stop reading until resumed.
    package func append(_ chunk: ByteBuffer) -> Bool {
        let state = self.state.value
        guard !state.isFinished, state.failure == nil else { return true }
        if let waiter = state.waiter {
            state.waiter = nil
            state.onTaken?(chunk.readableBytes)
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

    /// The request broke off (the connection closed, or the listener refused the rest), or its exchange is
    /// over: what waits untaken is dropped (and given back through ``onTaken``), and a body still arriving fails.
    package func fail(_ error: any Error) {
        let state = self.state.value
        while let chunk = state.queue.popFirst() {
            state.onTaken?(chunk.readableBytes)
        }
        state.queuedBytes = 0
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
            state.onTaken?(chunk.readableBytes)
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
