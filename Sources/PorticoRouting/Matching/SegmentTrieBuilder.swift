/// Builds a ``SegmentTrie`` one template at a time, and reports templates that land on a route already
/// stored for the same method and verb.
struct SegmentTrieBuilder {
    /// A node while the trie grows: literal children sorted by their bytes.
    private struct Node {
        var literalKeys: [[UInt8]] = []
        var literalChildren: [Int] = []
        var wildcardChild: Int?
        var multiWildcardChild: Int?
        var isMultiWildcard = false
        var terminals: [SegmentTrie.Terminal] = []
    }

    private var nodes: [Node] = [Node()]

    /// Adds a route; returns the route already stored for the same segments, method and verb, if any
    /// (the new route is then not stored).
    mutating func insert(_ segments: [PathTemplate.Segment], method: Int, verb: Int, route: Int) -> Int? {
        var current = 0
        for segment in segments {
            current = child(of: current, for: segment)
        }
        if let existing = nodes[current].terminals.first(where: { $0.method == method && $0.verb == verb }) {
            return existing.route
        }
        nodes[current].terminals.append(SegmentTrie.Terminal(method: method, verb: verb, route: route))
        return nil
    }

    /// The immutable trie, flattened into arrays of plain values so a lookup does no reference counting.
    func build() -> SegmentTrie {
        var trie = SegmentTrie()
        for node in nodes {
            let literalStart = trie.literalChildren.count
            for (key, child) in zip(node.literalKeys, node.literalChildren) {
                trie.literalSpans.append(trie.literalBytes.count..<(trie.literalBytes.count + key.count))
                trie.literalBytes.append(contentsOf: key)
                trie.literalChildren.append(child)
            }
            let terminalStart = trie.terminals.count
            trie.terminals.append(contentsOf: node.terminals)
            trie.nodes.append(SegmentTrie.Node(
                literals: literalStart..<trie.literalChildren.count,
                wildcardChild: node.wildcardChild ?? SegmentTrie.none,
                multiWildcardChild: node.multiWildcardChild ?? SegmentTrie.none,
                isMultiWildcard: node.isMultiWildcard,
                terminals: terminalStart..<trie.terminals.count))
        }
        return trie
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
}
