import PorticoSchema

/// Where one field of a message lives in its C struct, and how its presence is recorded.
///
/// Built once by ``DescriptorPool`` and immutable afterwards. Offsets are byte offsets from the start of
/// the message struct (which begins with the 24-byte `ProtobufCMessage` header).
///
/// Storage of each kind (see ``elementSize``):
/// - `int32`, `sint32`, `sfixed32`, `enum`: `Int32`; `uint32`, `fixed32`: `UInt32`; `bool`: a C `int`
///   (`Int32`, 0 or 1); `float`: `Float`; the 64-bit kinds: `Int64`/`UInt64`; `double`: `Double`.
/// - `string` and `bytes`: a `ProtobufCBinaryData` (`size_t len; uint8_t *data`, 16 bytes). Strings are
///   declared to protobuf-c as `bytes` (same wire format), so a string holds any byte, `\0` included, and
///   protobuf-c never calls `strlen`; UTF-8 is checked by Portico on unpack and guaranteed by Swift on set.
/// - `message`: a `ProtobufCMessage *` (NULL when absent).
/// - repeated fields: a `size_t` count at ``quantifierOffset``, a pointer to the element array at
///   ``offset`` and, at `offset + 8`, a `size_t` capacity that only Portico reads (0 means "exactly count",
///   as protobuf-c's unpack allocates). Repeated messages are arrays of `ProtobufCMessage *`.
package final class FieldLayout: @unchecked Sendable {
    /// How the presence of a field is recorded.
    package enum Presence: Sendable, Hashable {
        /// proto3 singular scalar, string or bytes: present when not zero / empty.
        case implicit
        /// proto2 `optional` scalar, string or bytes: a C `int` has-flag at ``quantifierOffset``.
        case hasFlag
        /// A singular message field: present when its pointer is not NULL.
        case pointer
        /// A member of a oneof (or a proto3 `optional` field): the `uint32` case at ``quantifierOffset``
        /// equals ``number``.
        case oneofCase
        /// proto2 `required`, and the key and scalar value of a map entry: always written.
        case required
        /// A repeated field or a map: present when the count at ``quantifierOffset`` is not 0.
        case repeated
    }

    /// The schema's declaration of the field.
    package let descriptor: FieldDescriptor
    /// The field number.
    package let number: Int32
    /// The proto name (`order_items`).
    package let name: String
    /// The proto3 JSON name (`orderItems`, or the `json_name` option).
    package let jsonName: String
    /// The field's type as declared (`string` stays `string`, although protobuf-c sees `bytes`).
    package let kind: FieldType
    /// Whether the field is repeated (maps included).
    package let isRepeated: Bool
    /// Whether the field is a map (a repeated field of a map-entry message).
    package let isMap: Bool
    /// Whether a repeated scalar field is written packed.
    package let isPacked: Bool
    package let presence: Presence
    /// The byte offset of the value (or of the array pointer, for repeated fields).
    package let offset: Int
    /// The byte offset of the has-flag, the oneof case or the repeated count; 0 when there is none.
    package let quantifierOffset: Int
    /// The size of one value: the member size of a singular field, the element size of a repeated one.
    package let elementSize: Int
    /// The index into ``MessageLayout/oneofs`` when the field belongs to a oneof (synthetic ones included).
    package let oneofIndex: Int?
    /// The layout of the field's message type (the entry message for a map).
    package let message: MessageLayout?
    /// The field's enum type.
    package let enumType: EnumLayout?

    init(
        descriptor: FieldDescriptor,
        isMap: Bool,
        isPacked: Bool,
        presence: Presence,
        offset: Int,
        quantifierOffset: Int,
        elementSize: Int,
        message: MessageLayout?,
        enumType: EnumLayout?
    ) {
        self.descriptor = descriptor
        number = descriptor.number
        name = descriptor.name
        jsonName = descriptor.jsonName
        kind = descriptor.type
        isRepeated = descriptor.isRepeated
        oneofIndex = descriptor.oneofIndex
        self.isMap = isMap
        self.isPacked = isPacked
        self.presence = presence
        self.offset = offset
        self.quantifierOffset = quantifierOffset
        self.elementSize = elementSize
        self.message = message
        self.enumType = enumType
    }

    /// The key field of a map's entry message (number 1).
    package var mapKey: FieldLayout? { isMap ? message?.field(number: 1) : nil }

    /// The value field of a map's entry message (number 2).
    package var mapValue: FieldLayout? { isMap ? message?.field(number: 2) : nil }

    /// The wire type a single value of this field is written with (0 varint, 1 fixed64, 2 length-delimited,
    /// 5 fixed32); a repeated packable field also accepts 2 (packed).
    package var wireType: UInt8 {
        switch kind {
        case .int32, .int64, .uint32, .uint64, .sint32, .sint64, .bool, .enum: 0
        case .fixed64, .sfixed64, .double: 1
        case .fixed32, .sfixed32, .float: 5
        case .string, .bytes, .message: 2
        case .group: 3
        }
    }

    /// The byte offset of a repeated field's capacity slot (Portico's own; protobuf-c never reads it).
    var capacityOffset: Int { offset + 8 }
}
