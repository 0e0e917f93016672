import CProtobufC
import PorticoSchema

/// The C struct of one message: where each field lives, its protobuf-c label and its presence kind.
struct StructPlan {
    /// One field's place in the struct.
    struct Slot {
        let field: FieldDescriptor
        let syntax: ProtoFile.Syntax
        let cLabel: ProtobufCLabel
        let presence: FieldLayout.Presence
        let offset: Int
        let quantifierOffset: Int
        let elementSize: Int
        let isPacked: Bool
    }

    /// The size of `ProtobufCMessage` (descriptor, `n_unknown_fields`, `unknown_fields`) on LP64.
    static let headerSize = MemoryLayout<ProtobufCMessage>.size

    let syntax: ProtoFile.Syntax
    /// The fields sorted by number.
    private(set) var slots: [Slot] = []
    private(set) var oneofs: [MessageLayout.Oneof] = []
    private(set) var size = 0

    init(message: MessageDescriptor, syntax: ProtoFile.Syntax, schema: SchemaPool) throws(WireError) {
        self.syntax = syntax
        let fields = message.fields.sorted { $0.number < $1.number }
        var cursor = Self.headerSize
        func place(size: Int, alignment: Int) -> Int {
            cursor = (cursor + alignment - 1) / alignment * alignment
            defer { cursor += size }
            return cursor
        }
        var oneofSlots: [Int: (caseOffset: Int, valueOffset: Int)] = [:]
        var oneofSizes: [Int: Int] = [:]
        for field in fields {
            if field.type == .group {
                throw WireError(.unsupportedSchema, "field \(message.fullName).\(field.name) is a group; groups are not supported")
            }
            if let index = field.oneofIndex, !field.isRepeated {
                oneofSizes[index] = max(oneofSizes[index] ?? 0, Self.valueSize(of: field.type))
            }
        }
        for field in fields {
            let isPacked = schema.isPacked(field, syntax: syntax)
            let valueSize = Self.valueSize(of: field.type)
            if field.isRepeated {
                let count = place(size: 8, alignment: 8)
                let array = place(size: 16, alignment: 8)
                slots.append(Slot(field: field, syntax: syntax, cLabel: PROTOBUF_C_LABEL_REPEATED, presence: .repeated,
                                  offset: array, quantifierOffset: count, elementSize: valueSize, isPacked: isPacked))
            } else if let index = field.oneofIndex {
                let slot: (caseOffset: Int, valueOffset: Int)
                if let existing = oneofSlots[index] {
                    slot = existing
                } else {
                    let caseOffset = place(size: 4, alignment: 4)
                    slot = (caseOffset, place(size: oneofSizes[index] ?? 8, alignment: 8))
                    oneofSlots[index] = slot
                }
                slots.append(Slot(field: field, syntax: syntax,
                                  cLabel: syntax == .proto2 ? PROTOBUF_C_LABEL_OPTIONAL : PROTOBUF_C_LABEL_NONE,
                                  presence: .oneofCase, offset: slot.valueOffset, quantifierOffset: slot.caseOffset,
                                  elementSize: valueSize, isPacked: false))
            } else if message.isMapEntry {
                let isMessage = field.type == .message
                slots.append(Slot(field: field, syntax: syntax,
                                  cLabel: isMessage ? PROTOBUF_C_LABEL_NONE : PROTOBUF_C_LABEL_REQUIRED,
                                  presence: isMessage ? .pointer : .required,
                                  offset: place(size: valueSize, alignment: min(valueSize, 8)), quantifierOffset: 0,
                                  elementSize: valueSize, isPacked: false))
            } else if field.label == .required {
                slots.append(Slot(field: field, syntax: syntax, cLabel: PROTOBUF_C_LABEL_REQUIRED, presence: .required,
                                  offset: place(size: valueSize, alignment: min(valueSize, 8)), quantifierOffset: 0,
                                  elementSize: valueSize, isPacked: false))
            } else if field.type == .message {
                slots.append(Slot(field: field, syntax: syntax,
                                  cLabel: syntax == .proto2 ? PROTOBUF_C_LABEL_OPTIONAL : PROTOBUF_C_LABEL_NONE,
                                  presence: .pointer, offset: place(size: 8, alignment: 8), quantifierOffset: 0,
                                  elementSize: 8, isPacked: false))
            } else if syntax == .proto2 {
                let hasFlag = place(size: 4, alignment: 4)
                slots.append(Slot(field: field, syntax: syntax, cLabel: PROTOBUF_C_LABEL_OPTIONAL, presence: .hasFlag,
                                  offset: place(size: valueSize, alignment: min(valueSize, 8)), quantifierOffset: hasFlag,
                                  elementSize: valueSize, isPacked: false))
            } else {
                slots.append(Slot(field: field, syntax: syntax, cLabel: PROTOBUF_C_LABEL_NONE, presence: .implicit,
                                  offset: place(size: valueSize, alignment: min(valueSize, 8)), quantifierOffset: 0,
                                  elementSize: valueSize, isPacked: false))
            }
        }
        size = (cursor + 7) / 8 * 8
        oneofs = message.oneofs.enumerated().map { index, oneof in
            let slot = oneofSlots[index] ?? (0, 0)
            return MessageLayout.Oneof(
                name: oneof.name,
                isSynthetic: oneof.isSynthetic,
                caseOffset: slot.caseOffset,
                valueOffset: slot.valueOffset,
                valueSize: oneofSizes[index] ?? 0,
                fieldNumbers: fields.filter { $0.oneofIndex == index }.map(\.number)
            )
        }
    }

    /// The C size of one value of a type: 4 for the 32-bit kinds (bool is a C `int`), 8 for the 64-bit
    /// kinds and message pointers, 16 for `ProtobufCBinaryData` (strings and bytes).
    static func valueSize(of type: FieldType) -> Int {
        switch type {
        case .int32, .sint32, .sfixed32, .uint32, .fixed32, .float, .bool, .enum: 4
        case .int64, .sint64, .sfixed64, .uint64, .fixed64, .double, .message, .group: 8
        case .string, .bytes: 16
        }
    }
}
