public import PorticoCore

/// Splits a query string into field bindings for the fields the path and body leave unbound.
///
/// `a=1&b.c=2&tags=x&tags=y` gives `a=1`, `b.c=2`, `tags=x`, `tags=y`, in order:
/// - pairs are separated by `&`; empty pairs (`a=1&&b=2`, a trailing `&`) are skipped;
/// - the name ends at the first `=`; a pair without `=` has an empty value (`?flag` → `flag=""`), as in
///   grpc-gateway (Go's `url.ParseQuery`) — Envoy skips such pairs;
/// - names and values are fully percent-decoded, and `+` is a space when `plusAsSpace` is set (the default,
///   as in grpc-gateway and HTML forms; Envoy keeps `+` unless `query_param_unescape_plus` is on);
/// - a decoded name is a dotted field path (`b.c` → `["b", "c"]`); repeated names stay separate bindings,
///   in order, for repeated fields;
/// - whether a name is a field is decided later, against the schema.
public enum QueryStringParser {
    /// Parses the text after `?` (without the `?`).
    ///
    /// - Throws: `GatewayError` with `INVALID_ARGUMENT` (HTTP 400) for a `%` not followed by two hex digits,
    ///   decoded bytes that are not UTF-8, an empty name (`=x`) or an empty name in a path (`a..b`, `a.`).
    public static func parse(_ query: Substring, plusAsSpace: Bool = true) throws(GatewayError) -> [FieldBinding] {
        var text = query
        let result = text.withUTF8 { bytes -> Result<[FieldBinding], GatewayError> in
            var bindings: [FieldBinding] = []
            var start = 0
            while start <= bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != ASCII.ampersand { end += 1 }
                if end > start {
                    do throws(GatewayError) {
                        bindings.append(try parsePair(bytes[start..<end], plusAsSpace: plusAsSpace))
                    } catch {
                        return .failure(error)
                    }
                }
                start = end + 1
            }
            return .success(bindings)
        }
        return try result.get()
    }

    private static func parsePair(
        _ pair: Slice<UnsafeBufferPointer<UInt8>>,
        plusAsSpace: Bool
    ) throws(GatewayError) -> FieldBinding {
        let equals = pair.firstIndex(of: ASCII.equals)
        let rawName = pair[..<(equals ?? pair.endIndex)]
        let rawValue = equals.map { pair[($0 + 1)...] } ?? pair[pair.endIndex...]
        let shownName = String(decoding: rawName.prefix(100), as: UTF8.self)
        let name = try decode(rawName, plusAsSpace: plusAsSpace, shownName: shownName)
        guard !name.isEmpty else {
            throw .invalidArgument("query parameter with an empty name (\"\(String(decoding: pair.prefix(100), as: UTF8.self))\")")
        }
        let fieldPath = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !fieldPath.contains(where: \.isEmpty) else {
            throw .invalidArgument("query parameter \"\(shownName)\": a field path cannot have an empty name")
        }
        let value = try decode(rawValue, plusAsSpace: plusAsSpace, shownName: shownName)
        return FieldBinding(fieldPath: fieldPath, value: value)
    }

    private static func decode(
        _ bytes: Slice<UnsafeBufferPointer<UInt8>>,
        plusAsSpace: Bool,
        shownName: String
    ) throws(GatewayError) -> String {
        do {
            return try PercentDecoder.decode(bytes, keepReserved: false, plusAsSpace: plusAsSpace)
        } catch {
            switch error {
            case .invalidEscape(let escape):
                throw .invalidArgument("query parameter \"\(shownName)\": \"\(escape)\" is not a valid percent escape")
            case .invalidUTF8:
                throw .invalidArgument("query parameter \"\(shownName)\": the percent-decoded text is not valid UTF-8")
            }
        }
    }
}
