import PorticoCore

/// The non-generic core of ``RouteTable``: splits the request path, walks the ``SegmentTrie`` and decodes
/// the path variables. Keeping it free of the table's `Value` lets the generic table specialise cheaply in
/// the caller's module.
@usableFromInline
struct RouteMatcher: Sendable {
    /// What a match found, by route index.
    @usableFromInline
    enum Outcome {
        case matched(route: Int, bindings: [FieldBinding], query: Substring?)
        case methodNotAllowed(allowed: [String])
        case notFound
        case invalidPath(GatewayError)
    }

    /// The method index of routes declared for `*` (any method).
    static let anyMethod = -2

    private let trie: SegmentTrie
    /// Every verb some template declares; a request's `:suffix` is a verb only if it is listed.
    private let verbs: [[UInt8]]
    /// The distinct methods of the routes, sorted, without `*`: method indices point here, and they are the
    /// candidates of an `Allow` header.
    private let methods: [String]
    private let templates: [PathTemplate]

    /// Builds the matcher; `conflicts` lists `(first, second)` route indices that share method, verb and shape
    /// (the second is not stored).
    init(routes: [(method: String, template: PathTemplate)], conflicts: inout [(Int, Int)]) {
        let methods = Set(routes.map(\.method)).subtracting(["*"]).sorted()
        var builder = SegmentTrieBuilder()
        var verbs: [[UInt8]] = []
        for (index, route) in routes.enumerated() {
            var verbIndex = SegmentTrie.none
            if let verb = route.template.verb {
                let key = Array(verb.utf8)
                if let known = verbs.firstIndex(of: key) {
                    verbIndex = known
                } else {
                    verbs.append(key)
                    verbIndex = verbs.count - 1
                }
            }
            let methodIndex = methods.firstIndex(of: route.method) ?? Self.anyMethod
            if let existing = builder.insert(route.template.segments, method: methodIndex, verb: verbIndex, route: index) {
                conflicts.append((existing, index))
            }
        }
        self.trie = builder.build()
        self.verbs = verbs
        self.methods = methods
        self.templates = routes.map(\.template)
    }

    /// Matches a request target (path and optional query); see ``RouteTable/match(method:path:)``.
    @usableFromInline
    func match(method: String, path target: String) -> Outcome {
        var bytesOfTarget = target
        var queryOffset: Int?
        let outcome = bytesOfTarget.withUTF8 { whole -> Outcome in
            queryOffset = whole.firstIndex(of: ASCII.questionMark)
            let bytes = UnsafeBufferPointer(rebasing: whole[..<(queryOffset ?? whole.endIndex)])
            return RequestPath.split(bytes, verbs: verbs) { path in
                guard let path else { return .notFound }
                let methodIndex = methods.firstIndex(of: method) ?? SegmentTrie.none
                if let route = trie.lookup(method: methodIndex, verb: path.verb, path: path) {
                    return bind(route: route, path: path)
                }
                let allowed = methods.indices.filter {
                    $0 != methodIndex && trie.lookup(method: $0, verb: path.verb, path: path) != nil
                }
                return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed.map { methods[$0] })
            }
        }
        guard case .matched(let route, let bindings, _) = outcome, let queryOffset else { return outcome }
        let query = target[target.utf8.index(target.utf8.startIndex, offsetBy: queryOffset + 1)...]
        return .matched(route: route, bindings: bindings, query: query)
    }

    private func bind(route: Int, path: RequestPath) -> Outcome {
        let template = templates[route]
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
        return .matched(route: route, bindings: bindings, query: nil)
    }
}
