import CProtobufC
import PorticoSchema

/// Computes the C struct layout of every message and fills the protobuf-c descriptors of a ``DescriptorPool``.
///
/// Rules (research file §2a): the 24-byte `ProtobufCMessage` header first; each member at its natural
/// alignment, in field-number order; proto2 `optional` non-message fields get a C `int` has-flag before
/// their value; repeated fields take a `size_t` count, the array pointer and Portico's capacity slot; all
/// members of a oneof share one union slot after one `uint32` case; the struct size is rounded up to 8.
final class LayoutBuilder {
    let schema: SchemaPool
    let memory = CMemory()
    private(set) var messageLayouts: [String: MessageLayout] = [:]
    private(set) var enumLayouts: [String: EnumLayout] = [:]
    private var messageShells: [String: UnsafeMutablePointer<ProtobufCMessageDescriptor>] = [:]

    init(schema: SchemaPool) {
        self.schema = schema
    }

    func build() throws(WireError) {
        for descriptor in schema.enums.values.sorted(by: { $0.fullName < $1.fullName }) {
            let cDescriptor = EnumDescriptorBuilder.build(descriptor, package: packageName(ofFile: descriptor.file), memory: memory)
            enumLayouts[descriptor.fullName] = EnumLayout(descriptor: descriptor, cDescriptor: cDescriptor)
        }
        let messages = schema.messages.values.sorted { $0.fullName < $1.fullName }
        var plans: [String: StructPlan] = [:]
        for message in messages {
            let plan = try StructPlan(message: message, syntax: schema.syntax(ofMessage: message.fullName), schema: schema)
            plans[message.fullName] = plan
            let shell = memory.allocate(ProtobufCMessageDescriptor.self, count: 1)
            messageShells[message.fullName] = shell
            messageLayouts[message.fullName] = MessageLayout(
                descriptor: message, syntax: plan.syntax, size: plan.size, cDescriptor: UnsafePointer(shell)
            )
        }
        for message in messages {
            try fill(message, plan: plans[message.fullName]!)
        }
    }

    private func packageName(ofFile file: String) -> String {
        schema.files[file]?.package ?? ""
    }

    private func fill(_ message: MessageDescriptor, plan: StructPlan) throws(WireError) {
        let layout = messageLayouts[message.fullName]!
        let sorted = plan.slots
        let cFields = memory.allocate(ProtobufCFieldDescriptor.self, count: sorted.count)
        var fieldLayouts: [FieldLayout] = []
        fieldLayouts.reserveCapacity(sorted.count)
        for (index, slot) in sorted.enumerated() {
            let field = slot.field
            var subMessage: MessageLayout?
            var enumType: EnumLayout?
            var cTypeDescriptor: UnsafeRawPointer?
            if field.type == .message {
                guard let name = field.typeName, let target = messageLayouts[name] else {
                    throw WireError(.unknownType, "field \(message.fullName).\(field.name) refers to unknown message \(field.typeName ?? "?")")
                }
                subMessage = target
                cTypeDescriptor = UnsafeRawPointer(target.cDescriptor)
            } else if field.type == .enum {
                guard let name = field.typeName, let target = enumLayouts[name] else {
                    throw WireError(.unknownType, "field \(message.fullName).\(field.name) refers to unknown enum \(field.typeName ?? "?")")
                }
                enumType = target
                cTypeDescriptor = UnsafeRawPointer(target.cDescriptor)
            }
            let defaultPointer = try defaultValue(for: slot, in: message, enumType: enumType)
            var flags: UInt32 = 0
            if slot.isPacked { flags |= PROTOBUF_C_FIELD_FLAG_PACKED.rawValue }
            if slot.presence == .oneofCase { flags |= PROTOBUF_C_FIELD_FLAG_ONEOF.rawValue }
            cFields[index] = ProtobufCFieldDescriptor(
                name: memory.cString(field.name),
                id: UInt32(bitPattern: field.number),
                label: slot.cLabel,
                type: Self.cType(of: field.type),
                quantifier_offset: UInt32(slot.quantifierOffset),
                offset: UInt32(slot.offset),
                descriptor: cTypeDescriptor,
                default_value: defaultPointer,
                flags: flags,
                reserved_flags: 0,
                reserved2: nil,
                reserved3: nil
            )
            fieldLayouts.append(FieldLayout(
                descriptor: field,
                isMap: subMessage?.isMapEntry == true && field.isRepeated,
                isPacked: slot.isPacked,
                presence: slot.presence,
                offset: slot.offset,
                quantifierOffset: slot.quantifierOffset,
                elementSize: slot.elementSize,
                message: subMessage,
                enumType: enumType
            ))
        }
        let byName = memory.allocate(UInt32.self, count: sorted.count)
        let nameOrder = sorted.indices.sorted { Array(sorted[$0].field.name.utf8).lexicographicallyPrecedes(Array(sorted[$1].field.name.utf8)) }
        for (position, index) in nameOrder.enumerated() { byName[position] = UInt32(index) }
        let ranges = Self.ranges(of: sorted.map(\.field.number), memory: memory)
        let shell = messageShells[message.fullName]!
        shell.pointee = ProtobufCMessageDescriptor(
            magic: UInt32(PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC),
            name: memory.cString(message.fullName),
            short_name: memory.cString(message.name),
            c_name: memory.cString(message.fullName.replacingDots()),
            package_name: memory.cString(packageName(ofFile: message.file)),
            sizeof_message: plan.size,
            n_fields: UInt32(sorted.count),
            fields: UnsafePointer(cFields),
            fields_sorted_by_name: UnsafePointer(byName),
            n_field_ranges: UInt32(ranges.count),
            field_ranges: ranges.pointer,
            message_init: nil,
            reserved1: nil,
            reserved2: nil,
            reserved3: nil
        )
        layout.install(fields: fieldLayouts, oneofs: plan.oneofs)
        layout.template = UnsafeRawPointer(makeTemplate(size: plan.size, descriptor: shell, fields: cFields, count: sorted.count))
    }

    /// The initialised struct new messages are copied from: what protobuf-c's `message_init_generic` does.
    private func makeTemplate(
        size: Int,
        descriptor: UnsafePointer<ProtobufCMessageDescriptor>,
        fields: UnsafePointer<ProtobufCFieldDescriptor>,
        count: Int
    ) -> UnsafeMutableRawPointer {
        let template = memory.allocateBytes(size)
        template.storeBytes(of: descriptor, as: UnsafePointer<ProtobufCMessageDescriptor>.self)
        for index in 0..<count {
            let field = fields[index]
            guard let value = field.default_value, field.label != PROTOBUF_C_LABEL_REPEATED else { continue }
            let size = field.type == PROTOBUF_C_TYPE_BYTES ? 16 : Self.scalarSize(of: field.type)
            (template + Int(field.offset)).copyMemory(from: value, byteCount: size)
        }
        return template
    }

    private func defaultValue(for slot: StructPlan.Slot, in message: MessageDescriptor, enumType: EnumLayout?) throws(WireError) -> UnsafeRawPointer? {
        let field = slot.field
        let value: DefaultValue?
        if message.isMapEntry, slot.presence == .required {
            value = DefaultValue.zero(of: field.type)
        } else if slot.presence == .oneofCase || field.isRepeated || field.type == .message {
            value = nil
        } else if let text = field.defaultValue {
            guard let parsed = DefaultValue.parse(text, type: field.type, enumType: enumType?.descriptor) else {
                throw WireError(.invalidValue, "field \(message.fullName).\(field.name) has a default that does not parse: \(text)")
            }
            value = parsed
        } else if field.type == .enum, slot.syntax == .proto2, let first = enumType?.descriptor.values.first {
            value = .int32(first.number)
        } else {
            value = nil
        }
        guard let value else { return nil }
        return UnsafeRawPointer(store(value))
    }

    private func store(_ value: DefaultValue) -> UnsafeMutableRawPointer {
        let target = memory.allocateBytes(16)
        switch value {
        case .int32(let v): target.storeBytes(of: v, as: Int32.self)
        case .uint32(let v): target.storeBytes(of: v, as: UInt32.self)
        case .int64(let v): target.storeBytes(of: v, as: Int64.self)
        case .uint64(let v): target.storeBytes(of: v, as: UInt64.self)
        case .float(let v): target.storeBytes(of: v, as: Float.self)
        case .double(let v): target.storeBytes(of: v, as: Double.self)
        case .bool(let v): target.storeBytes(of: v ? 1 : 0, as: Int32.self)
        case .bytes(let bytes):
            let data: UnsafeMutablePointer<UInt8>? = bytes.isEmpty ? nil : memory.bytes(bytes)
            target.storeBytes(of: ProtobufCBinaryData(len: bytes.count, data: data), as: ProtobufCBinaryData.self)
        }
        return target
    }

    /// The field or value ranges of sorted numbers, plus the sentinel `{0, count}` that protobuf-c reads
    /// past the end; `count` excludes the sentinel.
    static func ranges(of numbers: [Int32], memory: CMemory) -> (pointer: UnsafePointer<ProtobufCIntRange>, count: Int) {
        var ranges: [ProtobufCIntRange] = []
        for (index, number) in numbers.enumerated() where index == 0 || numbers[index - 1] + 1 != number {
            ranges.append(ProtobufCIntRange(start_value: number, orig_index: UInt32(index)))
        }
        let count = ranges.count
        ranges.append(ProtobufCIntRange(start_value: 0, orig_index: UInt32(numbers.count)))
        let pointer = memory.allocate(ProtobufCIntRange.self, count: ranges.count)
        for (index, range) in ranges.enumerated() { pointer[index] = range }
        return (UnsafePointer(pointer), count)
    }

    /// The protobuf-c type of a field type; strings are declared as bytes so `\0` survives.
    static func cType(of type: FieldType) -> ProtobufCType {
        switch type {
        case .int32: PROTOBUF_C_TYPE_INT32
        case .sint32: PROTOBUF_C_TYPE_SINT32
        case .sfixed32: PROTOBUF_C_TYPE_SFIXED32
        case .int64: PROTOBUF_C_TYPE_INT64
        case .sint64: PROTOBUF_C_TYPE_SINT64
        case .sfixed64: PROTOBUF_C_TYPE_SFIXED64
        case .uint32: PROTOBUF_C_TYPE_UINT32
        case .fixed32: PROTOBUF_C_TYPE_FIXED32
        case .uint64: PROTOBUF_C_TYPE_UINT64
        case .fixed64: PROTOBUF_C_TYPE_FIXED64
        case .float: PROTOBUF_C_TYPE_FLOAT
        case .double: PROTOBUF_C_TYPE_DOUBLE
        case .bool: PROTOBUF_C_TYPE_BOOL
        case .enum: PROTOBUF_C_TYPE_ENUM
        case .string, .bytes: PROTOBUF_C_TYPE_BYTES
        case .message, .group: PROTOBUF_C_TYPE_MESSAGE
        }
    }

    private static func scalarSize(of type: ProtobufCType) -> Int {
        switch type {
        case PROTOBUF_C_TYPE_INT64, PROTOBUF_C_TYPE_SINT64, PROTOBUF_C_TYPE_SFIXED64, PROTOBUF_C_TYPE_UINT64,
             PROTOBUF_C_TYPE_FIXED64, PROTOBUF_C_TYPE_DOUBLE, PROTOBUF_C_TYPE_MESSAGE:
            8
        default:
            4
        }
    }
}

extension String {
    /// The name with dots as underscores, protobuf-c's `c_name` style.
    fileprivate func replacingDots() -> String {
        String(map { $0 == "." ? "_" : $0 })
    }
}
