import CProtobufC

/// Repeated fields and maps: a `size_t` count, an element array in the arena and a capacity slot.
extension MessageHandle {
    /// The number of elements of a repeated field (entries of a map).
    package func count(_ field: FieldLayout) -> Int {
        (pointer + field.quantifierOffset).load(as: Int.self)
    }

    @inline(__always)
    func element<T>(_ field: FieldLayout, at index: Int, as type: T.Type) -> T {
        precondition(index >= 0 && index < count(field), "index \(index) out of range for \(field.name)")
        let array = (pointer + field.offset).load(as: UnsafeMutableRawPointer.self)
        return (array + index * field.elementSize).load(as: T.self)
    }

    /// Reserves the next element slot, growing the array in `arena` by doubling.
    ///
    /// A capacity of 0 means the array holds exactly `count` elements (protobuf-c's unpack allocates so).
    @inline(__always)
    func appendSlot(_ field: FieldLayout, in arena: Arena) -> UnsafeMutableRawPointer {
        let countAddress = pointer + field.quantifierOffset
        let count = countAddress.load(as: Int.self)
        var capacity = (pointer + field.capacityOffset).load(as: Int.self)
        if capacity == 0 { capacity = count }
        var array = (pointer + field.offset).load(as: UnsafeMutableRawPointer?.self)
        if count == capacity || array == nil {
            let grown = max(4, count * 2)
            let fresh = arena.allocate(byteCount: grown * field.elementSize)
            if count > 0, let array {
                fresh.copyMemory(from: array, byteCount: count * field.elementSize)
            }
            (pointer + field.offset).storeBytes(of: fresh, as: UnsafeMutableRawPointer.self)
            (pointer + field.capacityOffset).storeBytes(of: grown, as: Int.self)
            array = fresh
        }
        countAddress.storeBytes(of: count + 1, as: Int.self)
        return array! + count * field.elementSize
    }

    @inline(__always)
    func append<T>(_ value: T, _ field: FieldLayout, in arena: Arena) {
        appendSlot(field, in: arena).storeBytes(of: value, as: T.self)
    }

    /// Element `index` of a repeated `int32`, `sint32`, `sfixed32` or `enum` field.
    package func int32(_ field: FieldLayout, at index: Int) -> Int32 { element(field, at: index, as: Int32.self) }
    /// Appends to a repeated `int32`, `sint32`, `sfixed32` or `enum` field.
    package func appendInt32(_ field: FieldLayout, _ value: Int32, in arena: Arena) { append(value, field, in: arena) }
    /// Element `index` of a repeated `uint32` or `fixed32` field.
    package func uint32(_ field: FieldLayout, at index: Int) -> UInt32 { element(field, at: index, as: UInt32.self) }
    /// Appends to a repeated `uint32` or `fixed32` field.
    package func appendUInt32(_ field: FieldLayout, _ value: UInt32, in arena: Arena) { append(value, field, in: arena) }
    /// Element `index` of a repeated `int64`, `sint64` or `sfixed64` field.
    package func int64(_ field: FieldLayout, at index: Int) -> Int64 { element(field, at: index, as: Int64.self) }
    /// Appends to a repeated `int64`, `sint64` or `sfixed64` field.
    package func appendInt64(_ field: FieldLayout, _ value: Int64, in arena: Arena) { append(value, field, in: arena) }
    /// Element `index` of a repeated `uint64` or `fixed64` field.
    package func uint64(_ field: FieldLayout, at index: Int) -> UInt64 { element(field, at: index, as: UInt64.self) }
    /// Appends to a repeated `uint64` or `fixed64` field.
    package func appendUInt64(_ field: FieldLayout, _ value: UInt64, in arena: Arena) { append(value, field, in: arena) }
    /// Element `index` of a repeated `float` field.
    package func float(_ field: FieldLayout, at index: Int) -> Float { element(field, at: index, as: Float.self) }
    /// Appends to a repeated `float` field.
    package func appendFloat(_ field: FieldLayout, _ value: Float, in arena: Arena) { append(value, field, in: arena) }
    /// Element `index` of a repeated `double` field.
    package func double(_ field: FieldLayout, at index: Int) -> Double { element(field, at: index, as: Double.self) }
    /// Appends to a repeated `double` field.
    package func appendDouble(_ field: FieldLayout, _ value: Double, in arena: Arena) { append(value, field, in: arena) }
    /// Element `index` of a repeated `bool` field.
    package func bool(_ field: FieldLayout, at index: Int) -> Bool { element(field, at: index, as: Int32.self) != 0 }
    /// Appends to a repeated `bool` field.
    package func appendBool(_ field: FieldLayout, _ value: Bool, in arena: Arena) {
        append(Int32(value ? 1 : 0), field, in: arena)
    }

    /// Element `index` of a repeated `string` or `bytes` field, valid while the arena lives.
    func bytes(_ field: FieldLayout, at index: Int) -> UnsafeRawBufferPointer {
        Self.buffer(of: element(field, at: index, as: ProtobufCBinaryData.self))
    }

    /// Element `index` of a repeated `string` field.
    package func string(_ field: FieldLayout, at index: Int) -> String {
        String(decoding: bytes(field, at: index), as: UTF8.self)
    }

    /// Appends a copy (in `arena`) of `value` to a repeated `string` or `bytes` field.
    func appendBytes(_ field: FieldLayout, _ value: UnsafeRawBufferPointer, in arena: Arena) {
        append(Self.binaryData(copying: value, in: arena), field, in: arena)
    }

    /// Appends a copy (in `arena`) of the UTF-8 of `value` to a repeated `string` field.
    package func appendString(_ field: FieldLayout, _ value: String, in arena: Arena) {
        var value = value
        value.withUTF8 { appendBytes(field, UnsafeRawBufferPointer($0), in: arena) }
    }

    /// Element `index` of a repeated message field (an entry, for a map).
    package func message(_ field: FieldLayout, at index: Int) -> MessageHandle {
        MessageHandle(pointer: element(field, at: index, as: UnsafeMutableRawPointer.self), layout: field.message!)
    }

    /// Appends a new empty message (a new entry, for a map) and returns it.
    package func appendMessage(_ field: FieldLayout, in arena: Arena) -> MessageHandle {
        let created = MessageHandle.make(field.message!, in: arena)
        append(created.pointer, field, in: arena)
        return created
    }
}
