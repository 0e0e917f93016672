import PorticoCore

/// The compiled, immutable route table: HTTP method and request path in, route and path bindings out.
///
/// Built once per configuration snapshot; ``match(method:target:)`` only walks a segment trie over the
/// request's bytes (no regular expressions, no per-segment strings) and allocates only the array of segment
/// ranges and the bound values. Matching follows grpc-httpjson-transcoding (Envoy's transcoder):
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
    private let trie: SegmentTrie
    /// Every verb some template declares; a request's `:suffix` is a verb only if it is listed.
    private let verbs: [[UInt8]]
    /// The distinct methods of the routes, sorted, without `*`: the candidates of an `Allow` header.
    private let methods: [String]

    /// Compiles routes into a table.
    ///
    /// - Throws: ``RouteTableError`` listing every pair of routes with the same method, verb and template
    ///   shape (`/v1/{name}` and `/v1/{id}` under `GET` conflict; under `GET` and `*` they do not: the
    ///   exact method wins).
    public init(_ routes: [Route<Value>]) throws(RouteTableError) {
        var trie = SegmentTrie()
        var verbs: [[UInt8]] = []
        var conflicts: [RouteConflict] = []
        for (index, route) in routes.enumerated() {
            var verbIndex: Int?
            if let verb = route.template.verb {
                let key = Array(verb.utf8)
                if let known = verbs.firstIndex(of: key) {
                    verbIndex = known
                } else {
                    verbs.append(key)
                    verbIndex = verbs.count - 1
                }
            }
            if let existing = trie.insert(route.template.segments, method: route.method, verb: verbIndex, route: index) {
                conflicts.append(Self.conflict(between: existing, and: index, in: routes))
            }
        }
        guard conflicts.isEmpty else { throw RouteTableError(conflicts: conflicts) }
        self.routes = routes
        self.trie = trie
        self.verbs = verbs
        self.methods = Set(routes.map(\.method)).subtracting(["*"]).sorted()
    }

    /// Matches a request.
    ///
    /// - Parameters:
    ///   - method: the request's method, as sent (`GET`).
    ///   - target: the request target in origin form: the path, optionally followed by `?` and the query.
    /// - Returns: the matched route with one ``FieldBinding`` per path variable, decoded as
    ///   ``PathTemplate/Variable/isMultiSegment`` documents (single-segment variables fully; multi-segment ones
    ///   keep reserved characters such as `%2F` encoded); or `methodNotAllowed` with the methods that match the
    ///   path; or `notFound` (also for a target that does not start with `/`); or `invalidPath` for a malformed
    ///   percent escape in a variable.
    public func match(method: String, target: String) -> RouteMatch<Value> {
        let queryStart = target.utf8.firstIndex(of: ASCII.questionMark)
        var path = target[..<(queryStart ?? target.endIndex)]
        let query = queryStart.map { target[target.utf8.index(after: $0)...] }
        return path.withUTF8 { bytes in
            guard let requestPath = RequestPath(bytes: bytes, verbs: verbs) else { return .notFound }
            if let index = trie.lookup(method: method, verb: requestPath.verb, path: requestPath) {
                return bind(routeIndex: index, path: requestPath, query: query)
            }
            let allowed = methods.filter {
                $0 != method && trie.lookup(method: $0, verb: requestPath.verb, path: requestPath) != nil
            }
            return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
        }
    }

    private func bind(routeIndex: Int, path: RequestPath, query: Substring?) -> RouteMatch<Value> {
        let route = routes[routeIndex]
        let template = route.template
        var bindings: [FieldBinding] = []
        bindings.reserveCapacity(template.variables.count)
        for variable in template.variables {
            let first = variable.firstSegment
            var end = first + variable.segmentCount
            if variable.containsMultiWildcard {
                end = max(first, path.segments.count - (template.segments.count - end))
            }
            do {
                let value = try PercentDecoder.decode(
                    path.text(ofSegments: first..<end),
                    keepReserved: variable.isMultiSegment,
                    plusAsSpace: false)
                bindings.append(FieldBinding(fieldPath: variable.fieldPath, value: value))
            } catch {
                let name = variable.fieldPath.joined(separator: ".")
                switch error {
                case .invalidEscape(let escape):
                    return .invalidPath(.invalidArgument(
                        "path variable \"\(name)\": \"\(escape)\" is not a valid percent escape"))
                case .invalidUTF8:
                    return .invalidPath(.invalidArgument(
                        "path variable \"\(name)\": the percent-decoded value is not valid UTF-8"))
                }
            }
        }
        return .matched(MatchedRoute(route: route, routeIndex: routeIndex, bindings: bindings, query: query))
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
