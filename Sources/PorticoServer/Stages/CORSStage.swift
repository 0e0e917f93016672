import NIOHTTP1
import PorticoConfig
import PorticoCore
import PorticoRouting

/// CORS, as the Fetch standard defines it. A preflight (`OPTIONS` with `Origin` and
/// `Access-Control-Request-Method`) is answered here, 204 or 403, from the policy of the route the actual
/// request would take (the gateway's when the path has routes but not that method), without a backend call.
/// Any other request with an `Origin` is noted, and its answer — an error too — carries the CORS headers of
/// its route's policy when that policy allows the origin (``GatewayPipeline``'s response side).
struct CORSStage: RequestStage {
    let eventName = "portico.cors"

    func process(_ context: RequestContext) -> StageOutcome {
        let headers = context.request.headers
        guard let origin = headers.first(name: "origin") else { return .proceed }
        let snapshot = context.exchange.snapshot
        guard context.request.method == .OPTIONS, let requested = headers.first(name: "access-control-request-method") else {
            context.exchange.origin = origin
            context.exchange.cors = snapshot.configuration.settings.cors
            return .proceed
        }
        let policy: CORSPolicy?
        switch snapshot.routes.match(method: requested, path: context.request.uri) {
        case .matched(let matched): policy = matched.route.value.cors
        case .methodNotAllowed: policy = snapshot.configuration.settings.cors
        case .notFound, .invalidPath: return .proceed
        }
        guard let policy else { return .proceed }
        guard policy.allows(origin: origin) else {
            return .answer(GatewayError(
                code: .permissionDenied, message: "this origin may not call this route", source: .client,
                httpStatus: 403, headers: [("vary", Self.preflightVary)]
            ))
        }
        var methods = policy.allowMethods
        if methods.isEmpty, case .methodNotAllowed(let allowed) = snapshot.routes.match(method: "OPTIONS", path: context.request.uri) {
            methods = allowed
        }
        if methods.contains("GET"), !methods.contains("HEAD") { methods.append("HEAD") }
        var answer: [(String, String)] = [
            ("access-control-allow-origin", origin),
            ("access-control-allow-methods", methods.joined(separator: ", ")),
            ("vary", Self.preflightVary),
        ]
        if !policy.allowHeaders.isEmpty { answer.append(("access-control-allow-headers", policy.allowHeaders.joined(separator: ", "))) }
        if policy.allowCredentials { answer.append(("access-control-allow-credentials", "true")) }
        if let maxAge = policy.maxAge { answer.append(("access-control-max-age", String(maxAge.components.seconds))) }
        return .reply(.noContent, headers: answer)
    }

    private static let preflightVary = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"

    /// The CORS headers of an answer to a request from `origin` under `policy`: none but `Vary: Origin` when
    /// the policy does not allow the origin.
    static func responseHeaders(origin: String, policy: CORSPolicy) -> [(String, String)] {
        guard policy.allows(origin: origin) else { return [("vary", "Origin")] }
        var headers = [("access-control-allow-origin", origin), ("vary", "Origin")]
        if policy.allowCredentials { headers.append(("access-control-allow-credentials", "true")) }
        if !policy.exposeHeaders.isEmpty { headers.append(("access-control-expose-headers", policy.exposeHeaders.joined(separator: ", "))) }
        return headers
    }
}
