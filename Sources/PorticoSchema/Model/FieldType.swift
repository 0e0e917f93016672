/// The wire-level kind of a protobuf field, numbered as `google.protobuf.FieldDescriptorProto.Type`.
public enum FieldType: Int, Sendable, Hashable, CaseIterable {
    case double = 1
    case float = 2
    case int64 = 3
    case uint64 = 4
    case int32 = 5
    case fixed64 = 6
    case fixed32 = 7
    case bool = 8
    case string = 9
    case group = 10
    case message = 11
    case bytes = 12
    case uint32 = 13
    case `enum` = 14
    case sfixed32 = 15
    case sfixed64 = 16
    case sint32 = 17
    case sint64 = 18

    /// The keyword used in `.proto` text, or `nil` for message, enum and group types.
    public var keyword: String? {
        switch self {
        case .double: "double"
        case .float: "float"
        case .int64: "int64"
        case .uint64: "uint64"
        case .int32: "int32"
        case .fixed64: "fixed64"
        case .fixed32: "fixed32"
        case .bool: "bool"
        case .string: "string"
        case .bytes: "bytes"
        case .uint32: "uint32"
        case .sfixed32: "sfixed32"
        case .sfixed64: "sfixed64"
        case .sint32: "sint32"
        case .sint64: "sint64"
        case .group, .message, .enum: nil
        }
    }

    /// The scalar type for a `.proto` keyword (`"int32"`), or `nil` when the word names no scalar.
    public init?(keyword: String) {
        guard let type = FieldType.allCases.first(where: { $0.keyword == keyword }) else { return nil }
        self = type
    }

    /// Whether a repeated field of this type may use the packed encoding.
    public var isPackable: Bool {
        switch self {
        case .string, .bytes, .message, .group: false
        default: true
        }
    }

    /// Whether this type is a valid map key type.
    public var isValidMapKey: Bool {
        switch self {
        case .double, .float, .bytes, .message, .group, .enum: false
        default: true
        }
    }
}
