import NIOCore
import NIOHTTP1
import PorticoCodec
import PorticoCore

/// The admin listener's answers: `/metrics` (Prometheus text, or OpenMetrics when `Accept` asks for it), and
/// in JSON `/healthz` (the process serves), `/readyz` (the gateway takes requests; 503 once shutdown has
/// begun), `/admin/routes` (the compiled route table of the running snapshot) and `/admin/breakers` (each
/// backend's breaker state), `/admin/backends` (each backend's balancer and endpoints: health, ejection, calls
/// in flight), and `/openapi.json` or `/openapi/{version}.json` (the OpenAPI 3.1 description of
/// the public API in the default or the named version); `POST /admin/cache/purge` empties the response cache.
struct AdminResponder: GatewayResponder {
    let pipeline: GatewayPipeline
    let readiness: GatewayReadiness

    func respond(to request: GatewayRequest, on eventLoop: any EventLoop) -> EventLoopFuture<GatewayResponse> {
        if request.path == "/admin/cache/purge" {
            guard request.method == .POST else {
                return eventLoop.makeSucceededFuture(json(.methodNotAllowed, #"{"code":12,"message":"purge with POST"}"#, allow: "POST"))
            }
            return eventLoop.makeSucceededFuture(json(.ok, #"{"purged":\#(pipeline.purgeCache())}"#))
        }
        guard request.method == .GET else {
            return eventLoop.makeSucceededFuture(json(.methodNotAllowed, #"{"code":12,"message":"the admin endpoints answer GET only"}"#, allow: "GET"))
        }
        switch request.path {
        case "/metrics":
            let accept = request.headers["accept"]
            return pipeline.collectScrapeMetrics(on: eventLoop).map { [pipeline] in
                let (contentType, body) = MetricsExposition.render(pipeline.metrics.registry, accept: accept)
                return GatewayResponse(status: .ok, headers: ["content-type": contentType], body: body)
            }
        case "/healthz":
            return eventLoop.makeSucceededFuture(json(.ok, #"{"status":"ok"}"#))
        case "/readyz":
            let ready = readiness.isReady
            return eventLoop.makeSucceededFuture(json(ready ? .ok : .serviceUnavailable, ready ? #"{"status":"ready"}"# : #"{"status":"draining"}"#))
        case "/admin/breakers":
            return eventLoop.makeSucceededFuture(GatewayResponse.json(.ok, body: ByteBuffer(bytes: breakersJSON())))
        case "/admin/backends":
            return eventLoop.makeSucceededFuture(GatewayResponse.json(.ok, body: ByteBuffer(bytes: BackendListing(pipeline: pipeline).json())))
        case "/admin/routes":
            return eventLoop.makeSucceededFuture(GatewayResponse.json(.ok, body: ByteBuffer(bytes: RouteListing(snapshot: pipeline.snapshot).json())))
        case let path where path == "/openapi.json" || (path.hasPrefix("/openapi/") && path.hasSuffix(".json")):
            let version = path == "/openapi.json" ? nil : String(path.dropFirst("/openapi/".count).dropLast(".json".count))
            guard let document = OpenAPIGenerator(snapshot: pipeline.snapshot).json(version: version) else {
                return eventLoop.makeSucceededFuture(json(.notFound, #"{"code":5,"message":"the gateway serves no such API version"}"#))
            }
            return eventLoop.makeSucceededFuture(GatewayResponse.json(.ok, body: ByteBuffer(bytes: document)))
        default:
            return eventLoop.makeSucceededFuture(json(.notFound, #"{"code":5,"message":"no such admin endpoint; try /metrics, /healthz, /readyz, /admin/routes, /admin/backends, /admin/breakers or /openapi.json"}"#))
        }
    }

    private func breakersJSON() -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        for (index, breaker) in pipeline.breakerStates().enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            var object = JSONObjectBuilder()
            object.add("backend", breaker.backend)
            object.add("state", breaker.state)
            object.add("in_flight", breaker.inFlight)
            bytes += object.finish()
        }
        bytes.append(UInt8(ascii: "]"))
        return bytes
    }

    private func json(_ status: HTTPResponseStatus, _ text: String, allow: String? = nil) -> GatewayResponse {
        var response = GatewayResponse.json(status, body: ByteBuffer(string: text))
        if let allow { response.headers.add(name: "allow", value: allow) }
        return response
    }
}
