/// A value for a field of the request message, taken from the path or the query string.
///
/// The field path is split at dots (`sub.subfield` → `["sub", "subfield"]`) and is not yet checked against
/// the schema; the value is decoded text.
public struct FieldBinding: Sendable, Hashable, CustomStringConvertible {
    /// The field names from the message down to the field.
    public var fieldPath: [String]
    /// The decoded text, parsed later by the codec according to the field's type.
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
