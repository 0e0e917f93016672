import NIOCore
import NIOHTTP1
import NIOWebSocket
import PorticoCore

/// One HTTP/1.1 connection's WebSocket upgrades (RFC 6455), through NIO's upgrader.
///
/// An upgrade request (`GET` with `Upgrade: websocket`) runs through the responder's admission
/// (``WebSocketResponder``): accepted, the connection answers `101 Switching Protocols`, drops its HTTP
/// handlers and carries the session's frames (``WebSocketBridgeHandler``, behind NIO's frame aggregator);
/// refused, the request goes on to ``HTTPGatewayHandler`` as an ordinary request, which answers the refusal
/// (401, 404, 429, …) without running it again. Frames and reassembled messages are limited to
/// ``ListenerLimits/maxBodyBytes``; a larger one is answered with Close `1009`.
final class WebSocketUpgrade: Sendable {
    private enum Decision {
        case accepted(WebSocketSession)
        case refused(GatewayResponse)
    }

    private let responder: any GatewayResponder
    private let limits: ListenerLimits
    private let decision: NIOLoopBoundBox<Decision?>
    /// The connection's HTTP handlers of its own, removed once it speaks WebSocket.
    private let httpHandlers: NIOLoopBoundBox<[any RemovableChannelHandler]>

    /// For a connection on `eventLoop`; created on it.
    init(responder: any GatewayResponder, limits: ListenerLimits, eventLoop: any EventLoop) {
        self.responder = responder
        self.limits = limits
        decision = NIOLoopBoundBox(nil, eventLoop: eventLoop)
        httpHandlers = NIOLoopBoundBox([], eventLoop: eventLoop)
    }

    /// Names the handlers to remove at the upgrade; on the connection's event loop.
    func removesAtUpgrade(_ handlers: [any RemovableChannelHandler]) {
        httpHandlers.value = handlers
    }

    /// The upgrader for the connection's HTTP/1.1 pipeline.
    var upgrader: NIOWebSocketServerUpgrader {
        NIOWebSocketServerUpgrader(
            maxFrameSize: limits.maxBodyBytes,
            automaticErrorHandling: true,
            shouldUpgrade: { channel, head in self.admit(channel: channel, head: head) },
            upgradePipelineHandler: { channel, _ in self.install(on: channel) }
        )
    }

    /// The refusal of the upgrade request now reaching the gateway handler, if it was refused; taken once.
    func takeRefusal() -> GatewayResponse? {
        guard case .refused(let response)? = decision.value else { return nil }
        decision.value = nil
        return response
    }

    private func admit(channel: any Channel, head: HTTPRequestHead) -> EventLoopFuture<HTTPHeaders?> {
        guard let webSockets = responder as? any WebSocketResponder else { return channel.eventLoop.makeSucceededFuture(nil) }
        let request = GatewayRequest(
            method: head.method, uri: head.uri, headers: head.headers, body: ByteBuffer(),
            remoteAddress: channel.remoteAddress, cancellation: RequestCancellation(),
            clientCertificate: ClientCertificateIdentity.of(channel)
        )
        let decision = self.decision
        return webSockets.openWebSocket(request, on: channel.eventLoop).map { admission -> HTTPHeaders? in
            switch admission {
            case .accepted(let session, let headers):
                decision.value = .accepted(session.value)
                return HTTPHeaders(headers)
            case .refused(let response):
                decision.value = .refused(response)
                return nil
            }
        }
    }

    private func install(on channel: any Channel) -> EventLoopFuture<Void> {
        channel.eventLoop.makeCompletedFuture {
            guard case .accepted(let session)? = decision.value else { throw ChannelError.inappropriateOperationForState }
            decision.value = nil
            let pipeline = channel.pipeline.syncOperations
            for handler in httpHandlers.value { pipeline.removeHandler(handler, promise: nil) }
            httpHandlers.value = []
            try pipeline.addHandler(NIOWebSocketFrameAggregator(
                minNonFinalFragmentSize: 1, maxAccumulatedFrameCount: 1024, maxAccumulatedFrameSize: limits.maxBodyBytes
            ))
            try pipeline.addHandler(WebSocketBridgeHandler(session: session, eventLoop: channel.eventLoop))
        }
    }
}
