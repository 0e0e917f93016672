import NIOCore
import PorticoCore
import PorticoHTTP2

/// Where a WebSocket session writes: the connection's frames, on its event loop.
protocol WebSocketPeer: AnyObject {
    /// Sends one text frame; the future completes once it is with the socket.
    func sendText(_ text: ByteBuffer) -> EventLoopFuture<Void>
    /// Sends a Close frame with `code` and `reason`, then closes the connection.
    func close(code: UInt16, reason: String)
}

/// One WebSocket's streaming call, confined to the connection's event loop: each text frame from the
/// client is one request message, each message from the backend one text frame to the client, and the
/// call's status the Close frame (`1000` for `OK`, else `4000 +` the gRPC code, with the status message as
/// the reason).
///
/// An empty text frame ends the client's messages (the call's half-close): a JSON message is never empty.
/// A method that streams only answers takes its request from the upgrade's path and query, and a text frame
/// from its client is refused. No message either way for the route's `idle_timeout` ends the call
/// `DEADLINE_EXCEEDED` (time spent waiting for a slow reader does not count). A client that closes, or
/// whose connection drops, cancels the call.
final class WebSocketSession {
    /// What a finished session amounted to, for the access log and the metrics.
    struct Outcome {
        var received: Int
        var sent: Int
        var bytesIn: Int
        var bytesOut: Int
        var failure: GatewayError?
    }

    /// Starts the backend call with its answers going to `onMessage`; the writer is `nil` when the method takes
    /// no client messages (its request was built from the URL).
    typealias CallStarter = (@escaping @Sendable (ByteBuffer) -> EventLoopFuture<Void>?) -> (
        call: GRPCCall<GRPCStreamSummary>, requests: GRPCRequestWriter?
    )

    private let eventLoop: any EventLoop
    private let startCall: CallStarter
    /// A client message's JSON as the request message; `nil` when the method takes none.
    private let encodeRequest: ((ByteBuffer) throws(GatewayError) -> ByteBuffer)?
    private let encodeReply: (ByteBuffer) throws(GatewayError) -> ByteBuffer
    /// A failure as the client may see it.
    private let clientError: (GatewayError) -> GatewayError
    private let idleTimeout: TimeAmount
    private let maxMessageBytes: Int
    /// Called once, when the session is over.
    var onEnd: ((Outcome) -> Void)?

    private weak var peer: (any WebSocketPeer)?
    private var call: GRPCCall<GRPCStreamSummary>?
    private var requests: GRPCRequestWriter?
    private var outcome = Outcome(received: 0, sent: 0, bytesIn: 0, bytesOut: 0, failure: nil)
    private var localFailure: GatewayError?
    private var isOver = false
    private var lastActivity = NIODeadline.now()
    private var unfinishedWrites = 0
    private var timer: Scheduled<Void>?

    init(
        eventLoop: any EventLoop,
        idleTimeout: TimeAmount,
        maxMessageBytes: Int,
        startCall: @escaping CallStarter,
        encodeRequest: ((ByteBuffer) throws(GatewayError) -> ByteBuffer)?,
        encodeReply: @escaping (ByteBuffer) throws(GatewayError) -> ByteBuffer,
        clientError: @escaping (GatewayError) -> GatewayError
    ) {
        self.eventLoop = eventLoop
        self.idleTimeout = idleTimeout
        self.maxMessageBytes = maxMessageBytes
        self.startCall = startCall
        self.encodeRequest = encodeRequest
        self.encodeReply = encodeReply
        self.clientError = clientError
    }

    /// Starts the call once the connection speaks WebSocket.
    func start(peer: any WebSocketPeer) {
        guard call == nil, !isOver else { return }
        self.peer = peer
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let started = startCall { reply in bound.value.deliver(reply) }
        call = started.call
        requests = started.requests
        started.call.response.assumeIsolated().whenComplete { result in
            switch result {
            case .success: self.end(nil)
            case .failure(let error): self.end(GatewayError(error))
            }
        }
        lastActivity = .now()
        armTimer()
    }

    /// One text frame from the client; the future completes when the next may be read.
    func receive(_ text: ByteBuffer) -> EventLoopFuture<Void> {
        guard !isOver else { return eventLoop.makeSucceededVoidFuture() }
        guard text.readableBytes > 0 else {
            requests?.finish()
            return eventLoop.makeSucceededVoidFuture()
        }
        outcome.received += 1
        outcome.bytesIn += text.readableBytes
        lastActivity = .now()
        guard let encodeRequest, let requests else {
            stop(.invalidArgument("this method takes its request from the URL; send no messages"))
            return eventLoop.makeSucceededVoidFuture()
        }
        guard text.readableBytes <= maxMessageBytes else {
            stop(GatewayError(
                code: .resourceExhausted, message: "message \(outcome.received) is larger than \(maxMessageBytes) bytes", source: .client
            ))
            return eventLoop.makeSucceededVoidFuture()
        }
        let message: ByteBuffer
        do {
            message = try encodeRequest(text)
        } catch {
            var located = error
            located.message = "message \(outcome.received): \(error.message)"
            stop(located)
            return eventLoop.makeSucceededVoidFuture()
        }
        return requests.send(message).recover { _ in }
    }

    /// The client closed, or its connection dropped: the call is cancelled.
    func peerClosed() {
        guard !isOver else { return }
        if localFailure == nil { localFailure = GatewayError(code: .cancelled, message: "the client closed the WebSocket", source: .client) }
        guard let call else {
            end(nil)
            return
        }
        call.cancel()
    }

    // MARK: Internals

    private func deliver(_ reply: ByteBuffer) -> EventLoopFuture<Void>? {
        guard !isOver, localFailure == nil, let peer else { return nil }
        let text: ByteBuffer
        do {
            text = try encodeReply(reply)
        } catch {
            stop(error)
            return nil
        }
        outcome.sent += 1
        outcome.bytesOut += text.readableBytes
        lastActivity = .now()
        unfinishedWrites += 1
        let written = peer.sendText(text)
        written.assumeIsolated().whenComplete { _ in self.unfinishedWrites -= 1 }
        return written
    }

    /// Ends the call for the session's own reason; its completion closes the WebSocket.
    private func stop(_ failure: GatewayError) {
        guard localFailure == nil else { return }
        localFailure = failure
        call?.cancel()
    }

    private func end(_ failure: GatewayError?) {
        guard !isOver else { return }
        isOver = true
        timer?.cancel()
        timer = nil
        let failure = localFailure ?? failure
        outcome.failure = failure
        if let failure {
            let shown = clientError(failure)
            peer?.close(code: UInt16(4000 + shown.code.rawValue), reason: Self.reason(shown.message))
        } else {
            peer?.close(code: 1000, reason: "")
        }
        let onEnd = self.onEnd
        self.onEnd = nil
        onEnd?(outcome)
    }

    /// A Close frame's reason: at most 123 bytes of UTF-8 (RFC 6455 §5.5), cut at a character.
    static func reason(_ message: String) -> String {
        var reason = ""
        for character in message {
            guard reason.utf8.count + String(character).utf8.count <= 123 else { break }
            reason.append(character)
        }
        return reason
    }

    private func armTimer() {
        guard !isOver else { return }
        timer = eventLoop.assumeIsolated().scheduleTask(deadline: lastActivity + idleTimeout) { self.tick() }
    }

    private func tick() {
        timer = nil
        guard !isOver else { return }
        let now = NIODeadline.now()
        if unfinishedWrites > 0 { lastActivity = now }
        if now >= lastActivity + idleTimeout {
            stop(GatewayError(code: .deadlineExceeded, message: "no message either way for the stream's idle_timeout", source: .gateway))
            return
        }
        armTimer()
    }
}
