import NIOCore
import NIOWebSocket

/// The WebSocket end of an upgraded connection: text frames (reassembled from fragments by NIO's
/// aggregator) go to the ``WebSocketSession``, its answers go out as text frames, and its end as the Close
/// frame.
///
/// - Reading pauses while a message waits for the backend's request stream to take it, so a client that
///   sends faster than the backend reads holds the backend's flow-control window, not the gateway's memory.
/// - Pings are answered with pongs; binary frames are refused with `1003`, text that is not UTF-8 with
///   `1007`, a message over the limit with `1009` (NIO's decoder and aggregator enforce the frame and
///   message sizes).
/// - A Close from the client is answered with a Close and cancels the call.
final class WebSocketBridgeHandler: ChannelDuplexHandler, WebSocketPeer {
    typealias InboundIn = WebSocketFrame
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let session: WebSocketSession
    private let eventLoop: any EventLoop
    private var context: ChannelHandlerContext?
    private var isClosing = false
    /// Whether a message is with the session and reading waits for it.
    private var isReceiving = false
    /// Whether a read was asked for while a message was with the session.
    private var isReadPending = false

    init(session: WebSocketSession, eventLoop: any EventLoop) {
        self.session = session
        self.eventLoop = eventLoop
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        session.start(peer: self)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        session.peerClosed()
        context.fireChannelInactive()
    }

    func read(context: ChannelHandlerContext) {
        guard !isReceiving else {
            isReadPending = true
            return
        }
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard !isClosing else { return }
        switch frame.opcode {
        case .text:
            let text = frame.unmaskedData
            guard String(validating: text.readableBytesView, as: UTF8.self) != nil else {
                close(code: 1007, reason: "text frames must be UTF-8")
                session.peerClosed()
                return
            }
            isReceiving = true
            session.receive(text).assumeIsolated().whenComplete { _ in
                self.isReceiving = false
                if self.isReadPending, let context = self.context {
                    self.isReadPending = false
                    context.read()
                }
            }
        case .binary:
            close(code: 1003, reason: "binary frames are not supported: send each message as JSON text")
            session.peerClosed()
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            close(code: 1000, reason: "")
            session.peerClosed()
        default:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is NIOWebSocketFrameAggregator.Error {
            close(code: 1009, reason: "the message is too large")
        } else {
            close(code: 1002, reason: "protocol error")
        }
        session.peerClosed()
    }

    // MARK: WebSocketPeer

    func sendText(_ text: ByteBuffer) -> EventLoopFuture<Void> {
        guard let context, !isClosing else { return eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel) }
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: text)), promise: promise)
        return promise.futureResult
    }

    func close(code: UInt16, reason: String) {
        guard let context, !isClosing else { return }
        isClosing = true
        var data = context.channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        data.writeInteger(code)
        data.writeString(reason)
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)), promise: promise)
        promise.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}

@available(*, unavailable)
extension WebSocketBridgeHandler: Sendable {}
