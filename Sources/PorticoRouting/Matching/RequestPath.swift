/// A request path split into segments, as grpc-httpjson-transcoding's `ExtractRequestParts` splits it.
///
/// - The custom verb is recognised only when the last `:` comes after the last `/` and the text after it is a
///   verb some route declares (`/v1/jobs/7:cancel`); otherwise the colon is part of the segment
///   (`/v1/files/a:b` binds `a:b`). Envoy's opt-in `match_unregistered_custom_verb` is not offered.
/// - Empty segments at the end are dropped, so `/v1/shelves/` matches `/v1/shelves` and `//` matches `/`;
///   empty segments in the middle are kept (`/a//b` has three segments and matches `/a/*/b`).
/// - Segments are byte ranges into the path; nothing is copied or decoded while matching.
struct RequestPath {
    /// The path's UTF-8 bytes (without the query).
    let bytes: UnsafeBufferPointer<UInt8>
    /// The segments after the verb is removed, as ranges of ``bytes``.
    let segments: [Range<Int>]
    /// The index of the recognised verb in the table's verb list; ``SegmentTrie/none`` without one.
    let verb: Int

    /// Splits a path; `nil` when it does not start with `/`.
    init?(bytes: UnsafeBufferPointer<UInt8>, verbs: [[UInt8]]) {
        guard let first = bytes.first, first == ASCII.slash else { return nil }
        self.bytes = bytes
        var end = bytes.count
        var lastSlash = 0
        var lastColon: Int?
        for index in 0..<bytes.count {
            if bytes[index] == ASCII.slash {
                lastSlash = index
            } else if bytes[index] == ASCII.colon {
                lastColon = index
            }
        }
        var verb = SegmentTrie.none
        if let colon = lastColon, colon > lastSlash, !verbs.isEmpty {
            let candidate = bytes[(colon + 1)...]
            if let found = verbs.firstIndex(where: { $0.elementsEqual(candidate) }) {
                verb = found
                end = colon
            }
        }
        self.verb = verb
        var segments: [Range<Int>] = []
        segments.reserveCapacity(8)
        var start = 1
        for index in 1..<max(end, 1) where bytes[index] == ASCII.slash {
            segments.append(start..<index)
            start = index + 1
        }
        segments.append(start..<max(end, start))
        while let last = segments.last, last.isEmpty {
            segments.removeLast()
        }
        self.segments = segments
    }

    /// Compares a segment's bytes with a literal stored at `span` in `literals`: negative, zero or positive
    /// as in lexicographic order.
    func compare(_ segment: Range<Int>, with literals: [UInt8], _ span: Range<Int>) -> Int {
        var index = segment.lowerBound
        var literalIndex = span.lowerBound
        while index < segment.upperBound, literalIndex < span.upperBound {
            let left = bytes[index]
            let right = literals[literalIndex]
            if left != right { return left < right ? -1 : 1 }
            index += 1
            literalIndex += 1
        }
        let remaining = segment.upperBound - index
        let literalRemaining = span.upperBound - literalIndex
        return remaining == literalRemaining ? 0 : (remaining < literalRemaining ? -1 : 1)
    }

    /// The bytes from the first segment of a range to the end of the last one, separators included;
    /// empty when the range covers no segment.
    func text(ofSegments range: Range<Int>) -> Slice<UnsafeBufferPointer<UInt8>> {
        guard let first = range.first, let last = range.last else { return bytes[0..<0] }
        return bytes[segments[first].lowerBound..<segments[last].upperBound]
    }
}
