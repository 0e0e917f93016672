/// A protobuf message as plain Swift data: its type name and its present fields by proto name.
///
/// The value form of a message, for tests, tools and the gateway's slow paths; the hot path reads and writes
/// C structs through the codec directly. A field is in ``fields`` when it is present on the wire: set
/// (proto2, oneofs, proto3 `optional`, messages), not zero (proto3 implicit fields) or not empty (repeated,
/// maps). Encode and decode it with ``MessageCodec``.
public struct ProtoMessage: Sendable, Hashable {
    /// The fully qualified message name without a leading dot.
    public var typeName: String
    /// The present fields, keyed by proto field name (`order_items`).
    public var fields: [String: ProtoValue]

    /// Creates a message of a type with some fields.
    public init(_ typeName: String, _ fields: [String: ProtoValue] = [:]) {
        self.typeName = typeName
        self.fields = fields
    }

    /// A field by proto name.
    public subscript(name: String) -> ProtoValue? {
        get { fields[name] }
        set { fields[name] = newValue }
    }
}
