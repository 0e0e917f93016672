import NIOCore
import NIOHTTP1
import PorticoCore

/// The stage chain as the listener sees it: one request in, one response out, on the connection's event loop.
///
/// The listener calls `respond` on the channel's event loop and expects the future to complete on the same
/// loop (DESIGN §3.9). Failures are answered from the future's value, not its error: a responder turns every
/// ``GatewayError`` into a response itself; a failed future is answered with a generic 500.
package protocol GatewayResponder: Sendable {
    /// Answers one request.
    func respond(to request: GatewayRequest, on eventLoop: any EventLoop) -> EventLoopFuture<GatewayResponse>

    /// Looks at a request head that asks `Expect: 100-continue` before its body is sent: `nil` to let the body
    /// come (the listener answers `100 Continue`), or the final answer, which the request then gets without its
    /// body being read. `request` has an empty body.
    func admit(_ request: GatewayRequest, on eventLoop: any EventLoop) -> EventLoopFuture<GatewayResponse?>

    /// Whether the body of a request with this head goes to the responder as it arrives
    /// (``GatewayRequest/bodyStream``) instead of whole: a client stream's NDJSON or JSON body.
    func streamsBody(of head: HTTPRequestHead) -> Bool
}

extension GatewayResponder {
    /// Every head is admitted.
    package func admit(_ request: GatewayRequest, on eventLoop: any EventLoop) -> EventLoopFuture<GatewayResponse?> {
        eventLoop.makeSucceededFuture(nil)
    }

    /// Every body is read whole.
    package func streamsBody(of head: HTTPRequestHead) -> Bool {
        false
    }
}
