/// A message type of the schema, with its fields in declaration order.
public struct MessageDescriptor: Sendable, Hashable {
    /// A oneof of a message; proto3 `optional` fields each get a synthetic one named `_field`.
    public struct Oneof: Sendable, Hashable {
        public var name: String
        /// Whether the oneof exists only to give a proto3 `optional` field presence.
        public var isSynthetic: Bool

        public init(name: String, isSynthetic: Bool = false) {
            self.name = name
            self.isSynthetic = isSynthetic
        }
    }

    /// A reserved or extension range of field numbers, `start` inclusive and `end` exclusive as in
    /// `DescriptorProto.ReservedRange`.
    public struct NumberRange: Sendable, Hashable {
        public var start: Int32
        public var end: Int32

        public init(start: Int32, end: Int32) {
            self.start = start
            self.end = end
        }
    }

    /// The fully qualified name without a leading dot (`demo.orders.v1.Order.Item`).
    public var fullName: String
    /// The path of the file that declares it, relative to its include root (`demo/orders.proto`).
    public var file: String
    public var fields: [FieldDescriptor]
    public var oneofs: [Oneof]
    /// Whether this is the synthetic `XxxEntry` message of a map field.
    public var isMapEntry: Bool
    public var reservedRanges: [NumberRange]
    public var reservedNames: [String]
    public var isDeprecated: Bool
    /// The comment above its declaration in the `.proto` source (`nil` from a descriptor set).
    public var documentation: String?

    public init(
        fullName: String,
        file: String,
        fields: [FieldDescriptor] = [],
        oneofs: [Oneof] = [],
        isMapEntry: Bool = false,
        reservedRanges: [NumberRange] = [],
        reservedNames: [String] = [],
        isDeprecated: Bool = false
    ) {
        self.fullName = fullName
        self.file = file
        self.fields = fields
        self.oneofs = oneofs
        self.isMapEntry = isMapEntry
        self.reservedRanges = reservedRanges
        self.reservedNames = reservedNames
        self.isDeprecated = isDeprecated
    }

    /// The last component of ``fullName``.
    public var name: String { String(fullName.split(separator: ".").last ?? "") }

    /// The field with a given number.
    public func field(number: Int32) -> FieldDescriptor? {
        fields.first { $0.number == number }
    }

    /// The field with a given proto name.
    public func field(named name: String) -> FieldDescriptor? {
        fields.first { $0.name == name }
    }
}
