/// The compiled, immutable route table: HTTP method and request path in, route and path bindings out.
///
/// Built once per configuration snapshot; ``match(method:path:)`` only walks a segment trie over the
/// request's bytes (no regular expressions, no per-segment strings) and allocates only the array of segment
/// ranges, the bound values and the query. Matching follows grpc-httpjson-transcoding (Envoy's transcoder):
/// - precedence literal > `*` > `**` at every segment, with backtracking (``SegmentTrie``);
/// - custom verbs, trailing and empty segments as ``RequestPath`` describes;
/// - literals compare with the request text as written (`%41` does not match `A`);
/// - a route for method `*` matches any method, after a route for the exact method at the same node.
///
/// **HEAD is not GET.** As in Envoy's transcoder, which looks the request's method up verbatim, a `HEAD`
/// request matches only routes declared for `HEAD` (a `custom` rule) or `*`. A `HEAD` on a path served only
/// by `GET` is therefore answered as `methodNotAllowed(["GET"])`: a `HEAD` would need the backend to run the
/// RPC only to throw the body away, so it is left to an explicit rule.
public struct RouteTable<Value: Sendable>: Sendable {
    /// The routes in the order given.
    public let routes: [Route<Value>]
    @usableFromInline let matcher: RouteMatcher

    /// Compiles routes into a table.
    ///
    /// - Throws: ``RouteTableError`` listing every pair of routes with the same method, verb and template
    ///   shape (`/v1/{name}` and `/v1/{id}` under `GET` conflict; under `GET` and `*` they do not: the
    ///   exact method wins).
    public init(_ routes: [Route<Value>]) throws(RouteTableError) {
        var conflicts: [(Int, Int)] = []
        let matcher = RouteMatcher(routes: routes.map { ($0.method, $0.template) }, conflicts: &conflicts)
        guard conflicts.isEmpty else {
            throw RouteTableError(conflicts: conflicts.map { Self.conflict(between: $0.0, and: $0.1, in: routes) })
        }
        self.routes = routes
        self.matcher = matcher
    }

    /// Matches a request.
    ///
    /// - Parameters:
    ///   - method: the request's method, as sent (`GET`).
    ///   - path: the request target in origin form: the path, optionally followed by `?` and the query.
    /// - Returns: the matched route with one ``FieldBinding`` per path variable, decoded as
    ///   ``PathTemplate/Variable/isMultiSegment`` documents (single-segment variables fully; multi-segment ones
    ///   keep reserved characters such as `%2F` encoded); or `methodNotAllowed` with the methods that match the
    ///   path; or `notFound` (also for a target that does not start with `/`); or `invalidPath` for a malformed
    ///   percent escape in a variable.
    @inlinable
    public func match(method: String, path: String) -> RouteMatch<Value> {
        switch matcher.match(method: method, path: path) {
        case .matched(let index, let bindings, let query):
            .matched(MatchedRoute(route: routes[index], routeIndex: index, bindings: bindings, query: query))
        case .methodNotAllowed(let allowed):
            .methodNotAllowed(allowed: allowed)
        case .notFound:
            .notFound
        case .invalidPath(let error):
            .invalidPath(error)
        }
    }

    private static func conflict(between first: Int, and second: Int, in routes: [Route<Value>]) -> RouteConflict {
        func name(_ index: Int) -> String {
            let route = routes[index]
            return route.origin.isEmpty ? "\"\(route.summary)\"" : "\"\(route.summary)\" (\(route.origin))"
        }
        let message = "\(name(second)) conflicts with \(name(first)): both are \(routes[second].method) "
            + "\(routes[second].template.shape) and match the same requests"
        return RouteConflict(firstRoute: first, secondRoute: second, message: message)
    }
}
