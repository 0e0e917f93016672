/// The compiled matcher: one trie of template segments shared by all routes, with the routes stored at the
/// node where their template ends, keyed by HTTP method and verb.
///
/// Lookup is a depth-first search that tries, at each node, the literal child first, then `*`, then `**`,
/// and backtracks when a branch dead-ends — the order and the backtracking of grpc-httpjson-transcoding's
/// `PathMatcherNode::LookupPath`, which Envoy uses. A `**` node consumes request segments in a loop (not by
/// recursion) until the remaining ones match its literal children, so a path of 64,000 segments cannot
/// exhaust the stack. At the end of the request path, a `**` child of the current node may match zero
/// segments (`/a/**` matches `/a`); elsewhere `**` consumes at least one segment, as in the reference.
///
/// Nodes, literals and terminals are flat arrays of plain values (built by ``SegmentTrieBuilder``), so
/// a lookup compares bytes and follows indices without reference counting.
struct SegmentTrie: Sendable {
    /// A route stored at a node.
    struct Terminal: Sendable {
        /// The method's index in the matcher's method list; ``RouteMatcher/anyMethod`` for `*`.
        var method: Int
        /// The verb's index in the matcher's verb list; ``SegmentTrie/none`` without a verb.
        var verb: Int
        var route: Int
    }

    struct Node: Sendable {
        /// The node's literal children: indices into ``SegmentTrie/literalSpans`` and ``SegmentTrie/literalChildren``,
        /// sorted by the literals' bytes.
        var literals: Range<Int>
        var wildcardChild: Int
        var multiWildcardChild: Int
        /// Whether this node is the `**` child of its parent.
        var isMultiWildcard: Bool
        /// The node's routes: indices into ``SegmentTrie/terminals``.
        var terminals: Range<Int>
    }

    /// The marker for "no child", "no verb".
    static let none = -1

    var nodes: [Node] = []
    var literalBytes: [UInt8] = []
    var literalSpans: [Range<Int>] = []
    var literalChildren: [Int] = []
    var terminals: [Terminal] = []

    /// The route matching a split request path, or `nil`.
    func lookup(method: Int, verb: Int, path: RequestPath) -> Int? {
        lookup(node: 0, from: 0, method: method, verb: verb, path: path)
    }

    private func lookup(node index: Int, from start: Int, method: Int, verb: Int, path: RequestPath) -> Int? {
        let node = nodes[index]
        var position = start
        while true {
            if position == path.segments.count {
                if let route = route(at: node, method: method, verb: verb) { return route }
                guard node.multiWildcardChild != Self.none else { return nil }
                return route(at: nodes[node.multiWildcardChild], method: method, verb: verb)
            }
            if let child = literalChild(of: node, matching: path.segments[position], in: path),
               let route = lookup(node: child, from: position + 1, method: method, verb: verb, path: path) {
                return route
            }
            guard node.isMultiWildcard else { break }
            position += 1
        }
        if node.wildcardChild != Self.none,
           let route = lookup(node: node.wildcardChild, from: position + 1, method: method, verb: verb, path: path) {
            return route
        }
        if node.multiWildcardChild != Self.none,
           let route = lookup(node: node.multiWildcardChild, from: position + 1, method: method, verb: verb, path: path) {
            return route
        }
        return nil
    }

    /// The route for a method and verb at a node: an exact method first, then a route for any method.
    private func route(at node: Node, method: Int, verb: Int) -> Int? {
        var anyMethodRoute: Int?
        for index in node.terminals {
            let terminal = terminals[index]
            guard terminal.verb == verb else { continue }
            if terminal.method == method { return terminal.route }
            if terminal.method == RouteMatcher.anyMethod { anyMethodRoute = terminal.route }
        }
        return anyMethodRoute
    }

    private func literalChild(of node: Node, matching segment: Range<Int>, in path: RequestPath) -> Int? {
        var low = node.literals.lowerBound
        var high = node.literals.upperBound
        while low < high {
            let middle = (low + high) / 2
            switch path.compare(segment, with: literalBytes, literalSpans[middle]) {
            case 0: return literalChildren[middle]
            case ..<0: high = middle
            default: low = middle + 1
            }
        }
        return nil
    }
}
