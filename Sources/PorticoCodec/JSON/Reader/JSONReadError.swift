/// A failure to read JSON text: the byte offset where it was found and a plain reason.
///
/// The schema-directed parser turns it into a `GatewayError` (`INVALID_ARGUMENT`) with the JSON path of the
/// value being read; the offset helps when no path applies (syntax errors before any field).
struct JSONReadError: Error, Equatable, CustomStringConvertible {
    /// The byte offset into the input, or `nil` when the error is about a value rather than the text.
    var offset: Int?
    /// A plain, client-safe reason: `expected an integer, got "abc"`.
    var reason: String

    init(offset: Int? = nil, _ reason: String) {
        self.offset = offset
        self.reason = reason
    }

    var description: String {
        guard let offset else { return reason }
        return "\(reason) (at byte \(offset))"
    }
}
