public import PorticoCore

/// The outcome of ``RouteTable/match(method:path:)``.
public enum RouteMatch<Value: Sendable>: Sendable {
    /// A route matched; its path variables are bound.
    case matched(MatchedRoute<Value>)
    /// No route matches this method, but routes with the methods listed (sorted) match the path: answer 405
    /// with an `Allow` header.
    case methodNotAllowed(allowed: [String])
    /// No route matches the path under any method: answer 404.
    case notFound
    /// A route matched but a path variable is malformed (a bad `%` escape, or bytes that are not UTF-8):
    /// answer 400 with this `INVALID_ARGUMENT` error.
    case invalidPath(GatewayError)
}

/// A matched route, the values of its path variables and the raw query string.
public struct MatchedRoute<Value: Sendable>: Sendable {
    /// The matched route.
    public var route: Route<Value>
    /// The route's position in ``RouteTable/routes``.
    public var routeIndex: Int
    /// One binding per path variable, in template order, decoded as ``PathTemplate/Variable/isMultiSegment``
    /// documents.
    public var bindings: [FieldBinding]
    /// The text after the first `?`, undecoded (parse it with ``QueryStringParser``); `nil` without a `?`.
    public var query: Substring?

    /// Creates a matched route.
    public init(route: Route<Value>, routeIndex: Int, bindings: [FieldBinding], query: Substring?) {
        self.route = route
        self.routeIndex = routeIndex
        self.bindings = bindings
        self.query = query
    }
}
