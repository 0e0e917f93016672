import NIOCore
import PorticoCore

/// The stage chain as the listener sees it: one request in, one response out, on the connection's event loop.
///
/// The listener calls `respond` on the channel's event loop and expects the future to complete on the same
/// loop (DESIGN §3.9). Failures are answered from the future's value, not its error: a responder turns every
/// ``GatewayError`` into a response itself; a failed future is answered with a generic 500.
package protocol GatewayResponder: Sendable {
    /// Answers one request.
    func respond(to request: GatewayRequest, on eventLoop: any EventLoop) -> EventLoopFuture<GatewayResponse>
}
