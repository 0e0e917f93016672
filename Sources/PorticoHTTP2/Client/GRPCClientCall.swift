import PorticoCore
import NIOCore

/// One gRPC call from the moment it is queued until its result is delivered; confined to its event loop.
///
/// The pool queues it, a connection handler runs it on a stream, and whichever of the stream's close,
/// its deadline (the pool's or the connection's ``CallDeadlineTimer``) or a cancellation comes first
/// completes it; later ones find it finished and do nothing. A failure the server never saw goes back to the pool for a transparent retry.
final class GRPCClientCall {
    /// Where the response goes.
    enum Responder {
        case unary(EventLoopPromise<GRPCUnaryResponse>)
        /// `onMessage` may return a future; the message's bytes are given back to the flow-control window
        /// when it completes, which is the backpressure of a streaming call.
        case serverStreaming(onMessage: (ByteBuffer) -> EventLoopFuture<Void>?, promise: EventLoopPromise<GRPCStreamSummary>)
    }

    /// Where the call is.
    enum Placement {
        case queued
        case active(handler: GRPCClientConnectionHandler, streamID: Int32)
        case finished
    }

    let path: String
    /// The request message, already length-prefixed.
    let framedRequest: ByteBuffer
    let options: GRPCCallOptions
    private let responder: Responder
    /// The request side of a call whose messages are sent as they come; `nil` when ``framedRequest`` is all.
    let requests: GRPCRequestWriter.State?
    var placement = Placement.queued
    var attempts = 0
    var assembler: GRPCResponseAssembler
    private var unaryMessage: ByteBuffer?
    private var messageCount = 0
    /// The pool that queued the call: it takes queued calls back on cancellation and retries refused ones.
    weak var pool: GRPCConnectionPool?

    init(
        path: String,
        framedRequest: ByteBuffer,
        requests: GRPCRequestWriter.State? = nil,
        options: GRPCCallOptions,
        responder: Responder,
        maximumReceiveMessageSize: Int
    ) {
        self.path = path
        self.framedRequest = framedRequest
        self.requests = requests
        self.options = options
        self.responder = responder
        assembler = GRPCResponseAssembler(maximumMessageSize: maximumReceiveMessageSize)
    }

    var isFinished: Bool {
        if case .finished = placement { return true }
        return false
    }

    /// Handles messages completed by a DATA chunk.
    ///
    /// - Returns: the bytes to give back to the window now; streaming messages handed to a consumer that
    ///   returned a future are given back through `handler` when it completes.
    /// - Throws: `INTERNAL` for a second message on a unary call.
    func deliver(_ messages: [GRPCMessageReader.Message], handler: GRPCClientConnectionHandler, streamID: Int32) throws(GRPCCallError) -> Int {
        var releaseNow = 0
        for message in messages {
            messageCount += 1
            switch responder {
            case .unary:
                guard unaryMessage == nil else {
                    throw .protocolViolation(.internal, "more than one response message on a unary call")
                }
                unaryMessage = message.bytes
                releaseNow += message.wireLength
            case .serverStreaming(let onMessage, _):
                if let consumed = onMessage(message.bytes) {
                    let length = message.wireLength
                    consumed.assumeIsolated().whenComplete { [weak handler] _ in
                        handler?.release(streamID: streamID, bytes: length)
                    }
                } else {
                    releaseNow += message.wireLength
                }
            }
        }
        return releaseNow
    }

    /// Completes the call once its stream has closed.
    func complete(_ result: Result<GRPCStatus, GRPCCallError>) {
        guard !isFinished else { return }
        switch result {
        case .success:
            finish()
            requests?.fail(GRPCCallError.local(.cancelled, "the call is over"))
            let headers = assembler.headers ?? GRPCMetadata()
            switch responder {
            case .unary(let promise):
                guard let message = unaryMessage else {
                    promise.fail(GRPCCallError.protocolViolation(.unimplemented, "unary call ended without a response message"))
                    return
                }
                promise.succeed(GRPCUnaryResponse(headers: headers, message: message, trailers: assembler.trailers))
            case .serverStreaming(_, let promise):
                promise.succeed(GRPCStreamSummary(headers: headers, trailers: assembler.trailers, messageCount: messageCount))
            }
        case .failure(let error):
            if error.isRetryable, attempts <= (pool?.transparentRetryLimit ?? 0), let pool, messageCount == 0, requests == nil {
                placement = .queued
                assembler = GRPCResponseAssembler(maximumMessageSize: assembler.maximumMessageSize)
                pool.retry(self)
                return
            }
            fail(error)
        }
    }

    /// Ends the call with `error` wherever it is: a queued call leaves the queue, an active one resets its
    /// stream with `CANCEL`.
    func cancel(_ error: GRPCCallError) {
        switch placement {
        case .finished:
            return
        case .queued:
            pool?.remove(self)
        case .active(let handler, let streamID):
            handler.reset(streamID: streamID)
        }
        fail(error)
    }

    /// Fails the call (once).
    func fail(_ error: GRPCCallError) {
        guard !isFinished else { return }
        finish()
        requests?.fail(error)
        switch responder {
        case .unary(let promise): promise.fail(error)
        case .serverStreaming(_, let promise): promise.fail(error)
        }
    }

    private func finish() {
        placement = .finished
    }
}
