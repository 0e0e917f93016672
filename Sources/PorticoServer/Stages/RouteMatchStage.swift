import NIOHTTP1
import PorticoCore
import PorticoRouting
import Tracing

/// Finds the route: 404 for an unknown path, 405 with `Allow` for a known path with another method, 400 for a
/// malformed path. `HEAD` takes a `HEAD` route, else the `GET` route of the path (RFC 9110 §9.3.2), and every
/// path with a `GET` route allows `HEAD`.
///
/// For a WebSocket upgrade (``webSocket``), whose method is always `GET`, the path's streaming route is
/// taken whatever method its binding names; a path whose routes are all unary is 400.
struct RouteMatchStage: RequestStage {
    let eventName = "portico.route_match"
    /// Whether the request is a WebSocket upgrade.
    var webSocket = false

    func process(_ context: RequestContext) -> StageOutcome {
        let request = context.request
        let routes = context.exchange.snapshot.routes
        var result = routes.match(method: request.method.rawValue, path: request.uri)
        if request.method == .HEAD, case .methodNotAllowed = result {
            result = routes.match(method: "GET", path: request.uri)
        }
        if webSocket {
            if case .methodNotAllowed(let allowed) = result {
                for method in allowed {
                    let candidate = routes.match(method: method, path: request.uri)
                    if case .matched(let matched) = candidate, matched.route.value.target.isStreaming {
                        result = candidate
                        break
                    }
                }
            }
            let isUnary: Bool = switch result {
            case .matched(let matched): !matched.route.value.target.isStreaming
            case .methodNotAllowed: true
            case .notFound, .invalidPath: false
            }
            if isUnary { return .answer(.invalidArgument("a WebSocket needs a streaming method; this path's method is unary")) }
        }
        switch result {
        case .matched(let matched):
            context.matched = matched
            context.exchange.record.route = matched.route.value.target.selector
            context.exchange.metrics = context.gateway.routeMetrics[matched.routeIndex]
            if context.exchange.origin != nil { context.exchange.cors = matched.route.value.cors }
            if let span = context.exchange.trace?.span, span.isRecording {
                let template = matched.route.template.text
                span.operationName = "\(matched.route.method) \(template)"
                span.attributes["http.route"] = template
            }
            return .proceed
        case .notFound:
            return .answer(GatewayError(code: .notFound, message: "no route matches this path", source: .client))
        case .methodNotAllowed(var allowed):
            if allowed.contains("GET"), !allowed.contains("HEAD") { allowed.append("HEAD") }
            let list = allowed.joined(separator: ", ")
            return .answer(GatewayError(
                code: .unimplemented, message: "method \(request.method.rawValue) is not allowed here; allowed: \(list)", source: .client,
                httpStatus: 405, headers: [("allow", list)]
            ))
        case .invalidPath(let error):
            return .answer(error)
        }
    }
}
