import NIOCore
import PorticoCore
import PorticoPolicies
import PorticoRouting

/// One request as it crosses the stages: the request, the gateway it started with, the exchange (version,
/// response headers, access-log record) and what each stage found. Confined to the request's event loop.
final class RequestContext {
    let request: GatewayRequest
    let gateway: ActiveGateway
    /// The connection's event loop, where every stage runs and every wait completes.
    let eventLoop: any EventLoop
    var exchange: Exchange
    /// The route, once ``RouteMatchStage`` has found it.
    var matched: MatchedRoute<GatewayRoute>?
    /// The authenticated caller, when the route asks for a credential.
    var principal: Principal?
    /// The request messages for the backend, once transcoded: one, or a client stream's (any number).
    var messages: [ByteBuffer] = []

    /// How each message of a client stream read as it arrives becomes a request message, once transcoding has
    /// run; `nil` when ``messages`` holds them all.
    var pieceEncoder: ((ByteBuffer) throws(GatewayError) -> ByteBuffer)?

    /// The request message of a unary or server-streaming call.
    var message: ByteBuffer { messages.first ?? ByteBuffer() }
    /// When the backend call must be over, once ``ClientDeadlineStage`` has read it.
    var deadline: ClientDeadline?
    /// Whether the request already waited for another's backend call to its cache key (it waits once).
    var hasWaitedForCache = false

    init(request: GatewayRequest, gateway: ActiveGateway, eventLoop: any EventLoop, exchange: Exchange) {
        self.request = request
        self.gateway = gateway
        self.eventLoop = eventLoop
        self.exchange = exchange
    }

    /// The matched route, for the stages after the match.
    var route: GatewayRoute? { matched?.route.value }
}

@available(*, unavailable)
extension RequestContext: Sendable {}
