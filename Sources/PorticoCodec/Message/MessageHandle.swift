import CProtobufC
import PorticoSchema

/// A message in C memory, read and written through its ``MessageLayout``.
///
/// A handle is a pointer plus a layout: copying it copies neither the message nor anything in it. The
/// memory belongs to an ``Arena`` (messages made by ``make(_:in:)`` or unpacked from the wire), so a handle
/// is valid until that arena is reset, and its layout's ``DescriptorPool`` must outlive it. The handle does
/// not retain its arena: the caller keeps it alive (Swift may end a local's lifetime at its last use, so
/// hold it in a request context or use `withExtendedLifetime`). Handles are
/// not `Sendable`: a message belongs to one request. Members that take or return unsafe pointers
/// (zero-copy byte access, the raw struct) are `internal`: only this module touches C memory; other modules
/// use the `[UInt8]` and `String` forms.
///
/// Access is by ``FieldLayout`` (look it up once with `layout.field(number:)`, `field(named:)` or
/// `field(jsonName:)`). Getters never allocate; setters that store variable-size data (strings, bytes,
/// repeated elements, sub-messages) allocate only from the arena passed in. The accessor must match the
/// field's kind:
///
/// | kinds | singular get / set | repeated get / append |
/// |---|---|---|
/// | `int32`, `sint32`, `sfixed32`, `enum` | ``int32(_:)`` / ``setInt32(_:_:)`` | ``int32(_:at:)`` / ``appendInt32(_:_:in:)`` |
/// | `uint32`, `fixed32` | ``uint32(_:)`` / ``setUInt32(_:_:)`` | ``uint32(_:at:)`` / ``appendUInt32(_:_:in:)`` |
/// | `int64`, `sint64`, `sfixed64` | ``int64(_:)`` / ``setInt64(_:_:)`` | ``int64(_:at:)`` / ``appendInt64(_:_:in:)`` |
/// | `uint64`, `fixed64` | ``uint64(_:)`` / ``setUInt64(_:_:)`` | ``uint64(_:at:)`` / ``appendUInt64(_:_:in:)`` |
/// | `float`, `double`, `bool` | ``float(_:)``, ``double(_:)``, ``bool(_:)`` and setters | `…(_:at:)` / `append…` |
/// | `string`, `bytes` | ``bytes(_:)``, ``string(_:)`` / ``setBytes(_:_:in:)``, ``setString(_:_:in:)`` | `…(_:at:)` / `append…` |
/// | `message` | ``message(_:)`` / ``mutableMessage(_:in:)`` | ``message(_:at:)`` / ``appendMessage(_:in:)`` |
///
/// A map is a repeated field of entry messages: ``appendMessage(_:in:)`` adds an entry, whose key and value
/// fields are `field.mapKey` and `field.mapValue`. Duplicate keys stay (the reader applies last-wins).
///
/// Setting a field records its presence: the proto2 has-flag, or the oneof case (a oneof member replaces
/// the member set before). Setting a proto3 implicit field to zero makes it absent, as the spec says.
package struct MessageHandle {
    /// The start of the C struct (a `ProtobufCMessage`).
    let pointer: UnsafeMutableRawPointer
    /// The message's layout.
    package let layout: MessageLayout

    /// Wraps an existing message of the given layout.
    init(pointer: UnsafeMutableRawPointer, layout: MessageLayout) {
        self.pointer = pointer
        self.layout = layout
    }

    /// A new message in `arena`, initialised as protobuf-c would: zeroed, descriptor set, proto2 defaults stored.
    package static func make(_ layout: MessageLayout, in arena: Arena) -> MessageHandle {
        let memory = arena.allocate(byteCount: layout.size)
        if let template = layout.template {
            memory.copyMemory(from: template, byteCount: layout.size)
        }
        return MessageHandle(pointer: memory, layout: layout)
    }

    /// The message as protobuf-c sees it.
    var cMessage: UnsafeMutablePointer<ProtobufCMessage> {
        pointer.assumingMemoryBound(to: ProtobufCMessage.self)
    }

    /// How many fields unknown to the schema the message carries (kept from unpack, written by pack).
    package var unknownFieldCount: Int { Int(cMessage.pointee.n_unknown_fields) }

    // MARK: Presence

    /// Whether a field is present: set (proto2, oneofs, messages), non-zero (proto3 implicit), non-empty
    /// (repeated); `required` fields and map-entry keys always count as present.
    package func has(_ field: FieldLayout) -> Bool {
        switch field.presence {
        case .implicit:
            return !isZero(at: pointer + field.offset, field: field)
        case .hasFlag:
            return (pointer + field.quantifierOffset).load(as: Int32.self) != 0
        case .pointer:
            return (pointer + field.offset).load(as: UnsafeMutableRawPointer?.self) != nil
        case .oneofCase:
            return (pointer + field.quantifierOffset).load(as: UInt32.self) == UInt32(bitPattern: field.number)
        case .required:
            return true
        case .repeated:
            return (pointer + field.quantifierOffset).load(as: Int.self) != 0
        }
    }

    /// Clears a field: back to its default and absent; a repeated field becomes empty.
    package func clear(_ field: FieldLayout) {
        switch field.presence {
        case .repeated:
            (pointer + field.quantifierOffset).storeBytes(of: 0, as: Int.self)
        case .oneofCase:
            if has(field) {
                (pointer + field.quantifierOffset).storeBytes(of: 0, as: UInt32.self)
                let oneof = layout.oneofs[field.oneofIndex ?? 0]
                (pointer + oneof.valueOffset).initializeMemory(as: UInt8.self, repeating: 0, count: oneof.valueSize)
            }
        case .implicit, .hasFlag, .pointer, .required:
            if field.presence == .hasFlag {
                (pointer + field.quantifierOffset).storeBytes(of: 0, as: Int32.self)
            }
            if let template = layout.template {
                (pointer + field.offset).copyMemory(from: template + field.offset, byteCount: field.elementSize)
            }
        }
    }

    /// The number of the oneof member that is set (0 for none); `index` is into `layout.oneofs`.
    package func oneofCase(_ index: Int) -> Int32 {
        Int32(bitPattern: (pointer + layout.oneofs[index].caseOffset).load(as: UInt32.self))
    }

    /// The oneof member that is set, if any.
    package func oneofField(_ index: Int) -> FieldLayout? {
        let number = oneofCase(index)
        return number == 0 ? nil : layout.field(number: number)
    }

    /// Records that a singular field is set: the has-flag, or the oneof case (clearing the previous member).
    @inline(__always)
    func markPresent(_ field: FieldLayout) {
        switch field.presence {
        case .hasFlag:
            (pointer + field.quantifierOffset).storeBytes(of: 1, as: Int32.self)
        case .oneofCase:
            let slot = pointer + field.quantifierOffset
            let number = UInt32(bitPattern: field.number)
            if slot.load(as: UInt32.self) != number {
                let oneof = layout.oneofs[field.oneofIndex ?? 0]
                (pointer + oneof.valueOffset).initializeMemory(as: UInt8.self, repeating: 0, count: oneof.valueSize)
                slot.storeBytes(of: number, as: UInt32.self)
            }
        case .implicit, .pointer, .required, .repeated:
            break
        }
    }

    /// Zero as protobuf-c's pack decides it (`field_is_zeroish`): `-0.0` counts as zero, an empty string
    /// or bytes as absent.
    private func isZero(at address: UnsafeMutableRawPointer, field: FieldLayout) -> Bool {
        switch field.kind {
        case .float: address.load(as: Float.self) == 0
        case .double: address.load(as: Double.self) == 0
        case .string, .bytes: address.load(as: Int.self) == 0
        default: field.elementSize == 4 ? address.load(as: UInt32.self) == 0 : address.load(as: UInt64.self) == 0
        }
    }

    // MARK: Singular scalars

    @inline(__always)
    func load<T>(_ field: FieldLayout, as type: T.Type) -> T {
        (pointer + field.offset).load(as: T.self)
    }

    @inline(__always)
    func store<T>(_ value: T, _ field: FieldLayout) {
        markPresent(field)
        (pointer + field.offset).storeBytes(of: value, as: T.self)
    }

    /// An `int32`, `sint32`, `sfixed32` or `enum` field.
    package func int32(_ field: FieldLayout) -> Int32 { load(field, as: Int32.self) }
    /// Sets an `int32`, `sint32`, `sfixed32` or `enum` field.
    package func setInt32(_ field: FieldLayout, _ value: Int32) { store(value, field) }
    /// A `uint32` or `fixed32` field.
    package func uint32(_ field: FieldLayout) -> UInt32 { load(field, as: UInt32.self) }
    /// Sets a `uint32` or `fixed32` field.
    package func setUInt32(_ field: FieldLayout, _ value: UInt32) { store(value, field) }
    /// An `int64`, `sint64` or `sfixed64` field.
    package func int64(_ field: FieldLayout) -> Int64 { load(field, as: Int64.self) }
    /// Sets an `int64`, `sint64` or `sfixed64` field.
    package func setInt64(_ field: FieldLayout, _ value: Int64) { store(value, field) }
    /// A `uint64` or `fixed64` field.
    package func uint64(_ field: FieldLayout) -> UInt64 { load(field, as: UInt64.self) }
    /// Sets a `uint64` or `fixed64` field.
    package func setUInt64(_ field: FieldLayout, _ value: UInt64) { store(value, field) }
    /// A `float` field.
    package func float(_ field: FieldLayout) -> Float { load(field, as: Float.self) }
    /// Sets a `float` field.
    package func setFloat(_ field: FieldLayout, _ value: Float) { store(value, field) }
    /// A `double` field.
    package func double(_ field: FieldLayout) -> Double { load(field, as: Double.self) }
    /// Sets a `double` field.
    package func setDouble(_ field: FieldLayout, _ value: Double) { store(value, field) }
    /// A `bool` field.
    package func bool(_ field: FieldLayout) -> Bool { load(field, as: Int32.self) != 0 }
    /// Sets a `bool` field.
    package func setBool(_ field: FieldLayout, _ value: Bool) { store(Int32(value ? 1 : 0), field) }

    // MARK: Strings and bytes

    /// The bytes of a `string` or `bytes` field, valid while the arena lives; empty when absent.
    func bytes(_ field: FieldLayout) -> UnsafeRawBufferPointer {
        Self.buffer(of: load(field, as: ProtobufCBinaryData.self))
    }

    /// A copy of the bytes of a `string` or `bytes` field.
    package func byteArray(_ field: FieldLayout) -> [UInt8] { Array(bytes(field)) }

    /// Sets a `string` or `bytes` field to a copy (in `arena`) of `value`.
    package func setBytes(_ field: FieldLayout, _ value: [UInt8], in arena: Arena) {
        value.withUnsafeBytes { setBytes(field, $0, in: arena) }
    }

    /// A `string` field as a Swift string.
    package func string(_ field: FieldLayout) -> String {
        String(decoding: bytes(field), as: UTF8.self)
    }

    /// Sets a `string` or `bytes` field to a copy (in `arena`) of `value`.
    func setBytes(_ field: FieldLayout, _ value: UnsafeRawBufferPointer, in arena: Arena) {
        store(Self.binaryData(copying: value, in: arena), field)
    }

    /// Sets a `string` or `bytes` field to a copy (in `arena`) of the UTF-8 of `value`; `\0` is kept.
    package func setString(_ field: FieldLayout, _ value: String, in arena: Arena) {
        var value = value
        value.withUTF8 { setBytes(field, UnsafeRawBufferPointer($0), in: arena) }
    }

    @inline(__always)
    static func buffer(of data: ProtobufCBinaryData) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: data.data, count: data.data == nil ? 0 : data.len)
    }

    @inline(__always)
    static func binaryData(copying value: UnsafeRawBufferPointer, in arena: Arena) -> ProtobufCBinaryData {
        guard let copy = arena.copy(value) else { return ProtobufCBinaryData(len: 0, data: nil) }
        return ProtobufCBinaryData(len: value.count, data: copy.assumingMemoryBound(to: UInt8.self))
    }

    // MARK: Messages

    /// A singular message field, or `nil` when absent (or when another member of its oneof is set).
    package func message(_ field: FieldLayout) -> MessageHandle? {
        guard let sub = field.message, has(field),
              let address = load(field, as: UnsafeMutableRawPointer?.self)
        else { return nil }
        return MessageHandle(pointer: address, layout: sub)
    }

    /// A singular message field, created empty in `arena` when absent, and marked present.
    package func mutableMessage(_ field: FieldLayout, in arena: Arena) -> MessageHandle {
        if let existing = message(field) { return existing }
        let created = MessageHandle.make(field.message!, in: arena)
        store(created.pointer, field)
        return created
    }
}
