import NIOCore
import PorticoCore

/// The request side of a call whose client messages are sent as they come (a client-streaming or
/// bidirectional call): ``send(_:)`` each message, then ``finish()``.
///
/// Usable from any thread; the work happens on the call's event loop. Messages sent before the call has a
/// stream wait in the writer. ``send(_:)``'s future is the backpressure: it completes once fewer than
/// ``highWater`` bytes wait to go out (in the writer, or in the stream's queue while the backend's
/// flow-control window is closed), and fails once the call is over.
public final class GRPCRequestWriter: Sendable {
    /// How many request bytes may wait before ``send(_:)`` stops completing at once.
    public static let highWater = 64 * 1024

    /// Where the messages go, on the call's event loop.
    final class State {
        /// An in-memory backend's own delivery, in place of a connection's stream.
        struct Delivery {
            var send: (ByteBuffer) -> Void
            var finish: () -> Void
        }

        let eventLoop: any EventLoop
        let maximumMessageSize: Int
        /// Framed bytes sent before the call had a stream.
        var pending = ByteBuffer()
        var isFinished = false
        var failure: (any Error)?
        weak var handler: GRPCClientConnectionHandler?
        var streamID: Int32?
        var delivery: Delivery?
        var waiters: [EventLoopPromise<Void>] = []

        init(eventLoop: any EventLoop, maximumMessageSize: Int, delivery: Delivery? = nil) {
            self.eventLoop = eventLoop
            self.maximumMessageSize = maximumMessageSize
            self.delivery = delivery
        }

        /// Bytes not yet written to the connection.
        var queuedBytes: Int {
            guard let handler, let streamID else { return pending.readableBytes }
            return handler.queuedRequestBytes(streamID: streamID)
        }

        func send(_ message: ByteBuffer) -> EventLoopFuture<Void> {
            if let failure { return eventLoop.makeFailedFuture(failure) }
            guard !isFinished else { return eventLoop.makeFailedFuture(GRPCCallError.local(.internal, "message sent after the request ended")) }
            guard message.readableBytes <= maximumMessageSize else {
                let error = GRPCCallError.local(
                    .resourceExhausted, "request message of \(message.readableBytes) bytes exceeds the limit of \(maximumMessageSize)"
                )
                return eventLoop.makeFailedFuture(error)
            }
            if let delivery {
                delivery.send(message)
                return eventLoop.makeSucceededVoidFuture()
            }
            if let handler, let streamID {
                handler.sendRequest(GRPCMessageFraming.frame(message, allocator: ByteBufferAllocator()), streamID: streamID)
            } else {
                GRPCMessageFraming.frame(message, into: &pending)
            }
            guard queuedBytes >= GRPCRequestWriter.highWater || !waiters.isEmpty else { return eventLoop.makeSucceededVoidFuture() }
            let promise = eventLoop.makePromise(of: Void.self)
            waiters.append(promise)
            handler?.noteWaitingWriter(streamID: streamID)
            return promise.futureResult
        }

        func finish() {
            guard !isFinished, failure == nil else { return }
            isFinished = true
            if let delivery {
                delivery.finish()
            } else if let handler, let streamID {
                handler.finishRequest(streamID: streamID)
            }
        }

        /// What was sent before the call had a stream, and whether the request has ended; taken once, as the
        /// call's stream opens.
        func takePending() -> (body: ByteBuffer, ended: Bool) {
            defer { pending = ByteBuffer() }
            return (pending, isFinished)
        }

        /// The call runs on `streamID` of `handler`.
        func attach(handler: GRPCClientConnectionHandler, streamID: Int32) {
            self.handler = handler
            self.streamID = streamID
            if resume() { handler.noteWaitingWriter(streamID: streamID) }
        }

        /// Completes the waiting sends once the queue is under the high-water mark; `true` while some still wait,
        /// including sends that the completed ones' callbacks made and that had to wait in turn.
        @discardableResult
        func resume() -> Bool {
            guard !waiters.isEmpty else { return false }
            guard queuedBytes < GRPCRequestWriter.highWater else { return true }
            let promises = waiters
            waiters.removeAll()
            promises.forEach { $0.succeed() }
            return !waiters.isEmpty
        }

        /// The call is over: later sends fail, and so do the waiting ones.
        func fail(_ error: any Error) {
            guard failure == nil else { return }
            failure = error
            handler = nil
            delivery = nil
            let promises = waiters
            waiters.removeAll()
            promises.forEach { $0.fail(error) }
        }
    }

    let state: NIOLoopBoundBox<State>

    init(eventLoop: any EventLoop, maximumMessageSize: Int) {
        state = .makeBoxSendingValue(State(eventLoop: eventLoop, maximumMessageSize: maximumMessageSize), eventLoop: eventLoop)
    }

    /// A writer for an in-memory backend (tests): each message is handed to `send`, and `finish` is called when the
    /// request ends.
    package init(eventLoop: any EventLoop, send: @escaping @Sendable (ByteBuffer) -> Void, finish: @escaping @Sendable () -> Void) {
        state = .makeBoxSendingValue(
            State(eventLoop: eventLoop, maximumMessageSize: .max, delivery: State.Delivery(send: send, finish: finish)), eventLoop: eventLoop
        )
    }

    /// Sends one request message; the future completes when the writer can take more.
    public func send(_ message: ByteBuffer) -> EventLoopFuture<Void> {
        let state = self.state
        if state.eventLoop.inEventLoop { return state.value.send(message) }
        return state.eventLoop.flatSubmit { state.value.send(message) }
    }

    /// Ends the request stream (the client half-closes); the call goes on until the backend ends it.
    public func finish() {
        let state = self.state
        if state.eventLoop.inEventLoop {
            state.value.finish()
        } else {
            state.eventLoop.execute { state.value.finish() }
        }
    }
}
