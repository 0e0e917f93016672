/// A value for a field of the request message, taken from the path or the query string.
///
/// The field path is split at dots (`sub.subfield` → `["sub", "subfield"]`) and is not yet checked against
/// the schema; the value is decoded text.
public struct FieldBinding: Sendable, Hashable, CustomStringConvertible {
    public var fieldPath: [String]
    public var value: String

    /// Creates a binding.
    public init(fieldPath: [String], value: String) {
        self.fieldPath = fieldPath
        self.value = value
    }

    /// The dotted field path (`sub.subfield`).
    public var name: String { fieldPath.joined(separator: ".") }

    public var description: String { "\(name)=\(value)" }
}
