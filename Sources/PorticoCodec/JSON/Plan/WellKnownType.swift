/// The message types whose JSON form is not an object of their fields.
enum WellKnownType: Sendable {
    case any
    case timestamp
    case duration
    case fieldMask
    case structValue
    case value
    case listValue
    case empty
    case doubleValue
    case floatValue
    case int64Value
    case uint64Value
    case int32Value
    case uint32Value
    case boolValue
    case stringValue
    case bytesValue

    /// The well-known type of a message, by its fully qualified name.
    init?(messageName: String) {
        switch messageName {
        case "google.protobuf.Any": self = .any
        case "google.protobuf.Timestamp": self = .timestamp
        case "google.protobuf.Duration": self = .duration
        case "google.protobuf.FieldMask": self = .fieldMask
        case "google.protobuf.Struct": self = .structValue
        case "google.protobuf.Value": self = .value
        case "google.protobuf.ListValue": self = .listValue
        case "google.protobuf.Empty": self = .empty
        case "google.protobuf.DoubleValue": self = .doubleValue
        case "google.protobuf.FloatValue": self = .floatValue
        case "google.protobuf.Int64Value": self = .int64Value
        case "google.protobuf.UInt64Value": self = .uint64Value
        case "google.protobuf.Int32Value": self = .int32Value
        case "google.protobuf.UInt32Value": self = .uint32Value
        case "google.protobuf.BoolValue": self = .boolValue
        case "google.protobuf.StringValue": self = .stringValue
        case "google.protobuf.BytesValue": self = .bytesValue
        default: return nil
        }
    }

    /// Whether the type is one of the nine wrappers, whose JSON form is the wrapped value.
    var isWrapper: Bool {
        switch self {
        case .doubleValue, .floatValue, .int64Value, .uint64Value, .int32Value, .uint32Value, .boolValue,
             .stringValue, .bytesValue:
            true
        default:
            false
        }
    }

    /// Whether an `Any` holding this type writes its JSON under a `"value"` key.
    var isWrittenAsValueInAny: Bool {
        self != .empty
    }
}

/// The name of the enum whose JSON form is `null`.
let nullValueEnumName = "google.protobuf.NullValue"
