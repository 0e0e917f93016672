import NIOCore
import PorticoCore

/// The answer to a WebSocket upgrade request: the session to run once the `101 Switching Protocols` is out,
/// or the refusal to answer instead (401, 404, 429, …), exactly as a request would be refused.
enum WebSocketAdmission: Sendable {
    case accepted(NIOLoopBound<WebSocketSession>, headers: [(String, String)])
    case refused(GatewayResponse)
}

/// What the listener asks of a responder for WebSocket upgrades.
protocol WebSocketResponder: Sendable {
    /// Runs the upgrade request through the stages that admit a stream (version, route, credentials, rate
    /// limits); on the connection's event loop.
    func openWebSocket(_ request: GatewayRequest, on eventLoop: any EventLoop) -> EventLoopFuture<WebSocketAdmission>
}
