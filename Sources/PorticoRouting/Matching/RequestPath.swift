/// A request path split into segments, as grpc-httpjson-transcoding's `ExtractRequestParts` splits it.
///
/// - The custom verb is recognised only when the last `:` comes after the last `/` and the text after it is a
///   verb some route declares (`/v1/jobs/7:cancel`); otherwise the colon is part of the segment
///   (`/v1/files/a:b` binds `a:b`). Envoy's opt-in `match_unregistered_custom_verb` is not offered.
/// - Empty segments at the end are dropped, so `/v1/shelves/` matches `/v1/shelves` and `//` matches `/`;
///   empty segments in the middle are kept (`/a//b` has three segments and matches `/a/*/b`).
/// - Segments are byte ranges into the path, kept in temporary (usually stack) memory; nothing is copied or
///   decoded while matching.
struct RequestPath {
    /// The path's UTF-8 bytes (without the query).
    let bytes: UnsafeBufferPointer<UInt8>
    /// The segments after the verb is removed, as ranges of ``bytes``.
    let segments: UnsafeBufferPointer<Range<Int>>
    /// The index of the recognised verb in the table's verb list; ``SegmentTrie/none`` without one.
    let verb: Int

    /// Splits a path and passes it to `body`; passes `nil` when the path does not start with `/`.
    static func split<Result>(
        _ bytes: UnsafeBufferPointer<UInt8>,
        verbs: [[UInt8]],
        _ body: (RequestPath?) -> Result
    ) -> Result {
        guard let first = bytes.first, first == ASCII.slash else { return body(nil) }
        var end = bytes.count
        var verb = SegmentTrie.none
        var index = bytes.count - 1
        var lastColon: Int?
        while index > 0, bytes[index] != ASCII.slash {
            if lastColon == nil, bytes[index] == ASCII.colon { lastColon = index }
            index -= 1
        }
        if let colon = lastColon, !verbs.isEmpty {
            let candidate = bytes[(colon + 1)...]
            if let found = verbs.firstIndex(where: { $0.elementsEqual(candidate) }) {
                verb = found
                end = colon
            }
        }
        var capacity = 1
        for position in 1..<end where bytes[position] == ASCII.slash {
            capacity += 1
        }
        return withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: capacity) { buffer in
            var count = 0
            var start = 1
            for position in 1..<end where bytes[position] == ASCII.slash {
                buffer.initializeElement(at: count, to: start..<position)
                count += 1
                start = position + 1
            }
            buffer.initializeElement(at: count, to: start..<max(end, start))
            count += 1
            while count > 0, buffer[count - 1].isEmpty {
                count -= 1
            }
            let segments = UnsafeBufferPointer(rebasing: buffer[..<count])
            return body(RequestPath(bytes: bytes, segments: segments, verb: verb))
        }
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
