/// One field value of a ``ProtoMessage``, as plain Swift data.
///
/// Equality is exact: floating-point values compare by bit pattern, so `NaN == NaN` and `0.0 != -0.0`.
public indirect enum ProtoValue: Sendable, Hashable {
    /// `int32`, `sint32`, `sfixed32`.
    case int32(Int32)
    /// `int64`, `sint64`, `sfixed64`.
    case int64(Int64)
    /// `uint32`, `fixed32`.
    case uint32(UInt32)
    /// `uint64`, `fixed64`.
    case uint64(UInt64)
    /// `float`.
    case float(Float)
    /// `double`.
    case double(Double)
    /// `bool`.
    case bool(Bool)
    /// A `string`; it may contain `\0`.
    case string(String)
    /// `bytes`.
    case bytes([UInt8])
    /// An enum value by number (known or not: enums are open).
    case enumNumber(Int32)
    /// A nested message.
    case message(ProtoMessage)
    /// The elements of a repeated field.
    case list([ProtoValue])
    /// The entries of a map field (keys are unique; encoding orders them as upb's deterministic serialization).
    case map([ProtoValue: ProtoValue])

    /// Exact equality: floating-point values by bit pattern, strings by their UTF-8 bytes.
    public static func == (lhs: ProtoValue, rhs: ProtoValue) -> Bool {
        switch (lhs, rhs) {
        case (.int32(let a), .int32(let b)): a == b
        case (.int64(let a), .int64(let b)): a == b
        case (.uint32(let a), .uint32(let b)): a == b
        case (.uint64(let a), .uint64(let b)): a == b
        case (.float(let a), .float(let b)): a.bitPattern == b.bitPattern
        case (.double(let a), .double(let b)): a.bitPattern == b.bitPattern
        case (.bool(let a), .bool(let b)): a == b
        case (.string(let a), .string(let b)): a.utf8.elementsEqual(b.utf8)
        case (.bytes(let a), .bytes(let b)): a == b
        case (.enumNumber(let a), .enumNumber(let b)): a == b
        case (.message(let a), .message(let b)): a == b
        case (.list(let a), .list(let b)): a == b
        case (.map(let a), .map(let b)): a == b
        default: false
        }
    }

    /// Hashes consistently with ``==(_:_:)``.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .int32(let v): hasher.combine(0); hasher.combine(v)
        case .int64(let v): hasher.combine(1); hasher.combine(v)
        case .uint32(let v): hasher.combine(2); hasher.combine(v)
        case .uint64(let v): hasher.combine(3); hasher.combine(v)
        case .float(let v): hasher.combine(4); hasher.combine(v.bitPattern)
        case .double(let v): hasher.combine(5); hasher.combine(v.bitPattern)
        case .bool(let v): hasher.combine(6); hasher.combine(v)
        case .string(let v): hasher.combine(7); hasher.combine(Array(v.utf8))
        case .bytes(let v): hasher.combine(8); hasher.combine(v)
        case .enumNumber(let v): hasher.combine(9); hasher.combine(v)
        case .message(let v): hasher.combine(10); hasher.combine(v)
        case .list(let v): hasher.combine(11); hasher.combine(v)
        case .map(let v): hasher.combine(12); hasher.combine(v)
        }
    }
}
