/// The compiled matcher: one trie of template segments shared by all routes, with the routes stored at the
/// node where their template ends, keyed by HTTP method and verb.
///
/// Lookup is a depth-first search that tries, at each node, the literal child first, then `*`, then `**`,
/// and backtracks when a branch dead-ends — the order and the backtracking of grpc-httpjson-transcoding's
/// `PathMatcherNode::LookupPath`, which Envoy uses. A `**` node consumes request segments in a loop (not by
/// recursion) until the remaining ones match its literal children, so a path of 64,000 segments cannot
/// exhaust the stack. At the end of the request path, a `**` child of the current node may match zero
/// segments (`/a/**` matches `/a`); elsewhere `**` consumes at least one segment, as in the reference.
struct SegmentTrie: Sendable {
    /// A route stored at a node.
    struct Terminal: Sendable {
        /// The HTTP method, or `*` for any method.
        var method: String
        /// The index of the verb in the table's verb list; `nil` for templates without a verb.
        var verb: Int?
        var route: Int
    }

    struct Node: Sendable {
        /// Literal children, sorted by their bytes, with ``literalChildren`` at the same positions.
        var literalKeys: [[UInt8]] = []
        var literalChildren: [Int] = []
        var wildcardChild: Int?
        var multiWildcardChild: Int?
        /// Whether this node is the `**` child of its parent.
        var isMultiWildcard = false
        var terminals: [Terminal] = []

        /// The route for a method and verb: an exact method first, then a route registered for any method.
        func route(method: String, verb: Int?) -> Int? {
            terminals.first { $0.verb == verb && $0.method == method }?.route
                ?? terminals.first { $0.verb == verb && $0.method == "*" }?.route
        }
    }

    private(set) var nodes: [Node] = [Node()]

    /// Adds a route; returns the route already stored for the same segments, method and verb, if any
    /// (the new route is then not stored).
    mutating func insert(_ segments: [PathTemplate.Segment], method: String, verb: Int?, route: Int) -> Int? {
        var current = 0
        for segment in segments {
            current = child(of: current, for: segment)
        }
        if let existing = nodes[current].terminals.first(where: { $0.method == method && $0.verb == verb }) {
            return existing.route
        }
        nodes[current].terminals.append(Terminal(method: method, verb: verb, route: route))
        return nil
    }

    private mutating func child(of parent: Int, for segment: PathTemplate.Segment) -> Int {
        switch segment {
        case .wildcard:
            if let existing = nodes[parent].wildcardChild { return existing }
            let created = appendNode()
            nodes[parent].wildcardChild = created
            return created
        case .multiWildcard:
            if let existing = nodes[parent].multiWildcardChild { return existing }
            let created = appendNode()
            nodes[created].isMultiWildcard = true
            nodes[parent].multiWildcardChild = created
            return created
        case .literal(let text):
            let key = Array(text.utf8)
            var low = 0
            var high = nodes[parent].literalKeys.count
            while low < high {
                let middle = (low + high) / 2
                if nodes[parent].literalKeys[middle].lexicographicallyPrecedes(key) {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            if low < nodes[parent].literalKeys.count, nodes[parent].literalKeys[low] == key {
                return nodes[parent].literalChildren[low]
            }
            let created = appendNode()
            nodes[parent].literalKeys.insert(key, at: low)
            nodes[parent].literalChildren.insert(created, at: low)
            return created
        }
    }

    private mutating func appendNode() -> Int {
        nodes.append(Node())
        return nodes.count - 1
    }

    /// The route matching a split request path, or `nil`.
    func lookup(method: String, verb: Int?, path: RequestPath) -> Int? {
        lookup(node: 0, from: 0, method: method, verb: verb, path: path)
    }

    private func lookup(node index: Int, from start: Int, method: String, verb: Int?, path: RequestPath) -> Int? {
        let node = nodes[index]
        var position = start
        while true {
            if position == path.segments.count {
                if let route = node.route(method: method, verb: verb) { return route }
                if let multi = node.multiWildcardChild { return nodes[multi].route(method: method, verb: verb) }
                return nil
            }
            if let child = literalChild(of: node, matching: path.segments[position], in: path),
               let route = lookup(node: child, from: position + 1, method: method, verb: verb, path: path) {
                return route
            }
            guard node.isMultiWildcard else { break }
            position += 1
        }
        if let child = node.wildcardChild,
           let route = lookup(node: child, from: position + 1, method: method, verb: verb, path: path) {
            return route
        }
        if let child = node.multiWildcardChild,
           let route = lookup(node: child, from: position + 1, method: method, verb: verb, path: path) {
            return route
        }
        return nil
    }

    private func literalChild(of node: Node, matching segment: Range<Int>, in path: RequestPath) -> Int? {
        var low = 0
        var high = node.literalKeys.count
        while low < high {
            let middle = (low + high) / 2
            switch path.compare(segment, with: node.literalKeys[middle]) {
            case 0: return node.literalChildren[middle]
            case ..<0: high = middle
            default: low = middle + 1
            }
        }
        return nil
    }
}
