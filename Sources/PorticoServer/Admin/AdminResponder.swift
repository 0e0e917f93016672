import NIOCore
import NIOHTTP1
import PorticoCodec
import PorticoCore

/// The admin listener's answers, in JSON: `/healthz` (the process serves) and `/admin/routes` (the
/// compiled route table of the running snapshot).
struct AdminResponder: GatewayResponder {
    let pipeline: GatewayPipeline

    func respond(to request: GatewayRequest, on eventLoop: any EventLoop) -> EventLoopFuture<GatewayResponse> {
        guard request.method == .GET else {
            return eventLoop.makeSucceededFuture(json(.methodNotAllowed, #"{"code":12,"message":"the admin endpoints answer GET only"}"#, allow: "GET"))
        }
        switch request.path {
        case "/healthz":
            return eventLoop.makeSucceededFuture(json(.ok, #"{"status":"ok"}"#))
        case "/admin/routes":
            return eventLoop.makeSucceededFuture(GatewayResponse.json(.ok, body: ByteBuffer(bytes: RouteListing(snapshot: pipeline.snapshot).json())))
        default:
            return eventLoop.makeSucceededFuture(json(.notFound, #"{"code":5,"message":"no such admin endpoint; try /healthz or /admin/routes"}"#))
        }
    }

    private func json(_ status: HTTPResponseStatus, _ text: String, allow: String? = nil) -> GatewayResponse {
        var response = GatewayResponse.json(status, body: ByteBuffer(string: text))
        if let allow { response.headers.add(name: "allow", value: allow) }
        return response
    }
}
