/// A W3C Trace Context `traceparent` header (`00-<trace id>-<parent id>-<flags>`), validated: 32 and 16
/// lowercase hex digits, neither all zeros, version `00` (or a later version's first four fields, as the
/// specification asks). Anything else is ignored and the request starts a new trace.
struct TraceParent: Equatable {
    /// 32 lowercase hex digits.
    let traceID: String
    /// 16 lowercase hex digits: the caller's span.
    let parentID: String
    /// `01` when the caller sampled the trace.
    let flags: String

    init?(_ header: String) {
        let fields = header.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard fields.count >= 4,
              let version = Self.hex(fields[0], count: 2), version != "ff",
              version != "00" || fields.count == 4,
              let traceID = Self.hex(fields[1], count: 32), traceID != String(repeating: "0", count: 32),
              let parentID = Self.hex(fields[2], count: 16), parentID != String(repeating: "0", count: 16),
              let flags = Self.hex(fields[3], count: 2)
        else { return nil }
        self.traceID = traceID
        self.parentID = parentID
        self.flags = flags
    }

    /// The header as the gateway passes it on.
    var header: String { "00-\(traceID)-\(parentID)-\(flags)" }

    private static func hex(_ field: Substring.UTF8View, count: Int) -> String? {
        guard field.count == count, field.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        return String(decoding: field, as: UTF8.self)
    }
}
