import PorticoSchema

/// Converting between C messages and ``ProtoMessage`` values.
extension MessageHandle {
    /// Stores every field of `value` into this (fresh) message, allocating in `arena`.
    ///
    /// Map entries are appended in the key order of upb's deterministic serialization (``keyPrecedes(_:_:)``),
    /// and every map value message is created even when empty, so the encoding matches upb's byte for byte.
    ///
    /// - Throws: ``WireError`` `.invalidValue` for an unknown field name, a value of the wrong kind, a
    ///   message of the wrong type, or two members of one oneof.
    package func write(_ value: ProtoMessage, in arena: Arena) throws(WireError) {
        guard value.typeName == layout.fullName else {
            throw WireError(.invalidValue, "expected a \(layout.fullName), got a \(value.typeName)")
        }
        var oneofsSet: [Int: String] = [:]
        for name in value.fields.keys.sorted() {
            guard let field = layout.field(named: name) else {
                throw WireError(.invalidValue, "\(layout.fullName) has no field \(name)")
            }
            if let index = field.oneofIndex {
                if let other = oneofsSet[index] {
                    throw WireError(.invalidValue, "\(other) and \(name) are members of the same oneof")
                }
                oneofsSet[index] = name
            }
            do {
                try write(value.fields[name]!, to: field, in: arena)
            } catch {
                throw error.nested(under: name)
            }
        }
    }

    private func write(_ value: ProtoValue, to field: FieldLayout, in arena: Arena) throws(WireError) {
        if field.isMap {
            guard case .map(let entries) = value, let keyField = field.mapKey, let valueField = field.mapValue else {
                throw WireError(.invalidValue, "expected a map")
            }
            for (key, element) in entries.sorted(by: { Self.keyPrecedes($0.key, $1.key) }) {
                let entry = appendMessage(field, in: arena)
                try entry.setSingle(keyField, key, in: arena)
                try entry.setSingle(valueField, element, in: arena)
            }
        } else if field.isRepeated {
            guard case .list(let elements) = value else { throw WireError(.invalidValue, "expected a list") }
            for (index, element) in elements.enumerated() {
                do {
                    try appendSingle(field, element, in: arena)
                } catch {
                    throw error.nested(under: "[\(index)]")
                }
            }
        } else {
            try setSingle(field, value, in: arena)
        }
    }

    private func setSingle(_ field: FieldLayout, _ value: ProtoValue, in arena: Arena) throws(WireError) {
        switch (field.kind, value) {
        case (.int32, .int32(let v)), (.sint32, .int32(let v)), (.sfixed32, .int32(let v)), (.enum, .enumNumber(let v)):
            setInt32(field, v)
        case (.uint32, .uint32(let v)), (.fixed32, .uint32(let v)):
            setUInt32(field, v)
        case (.int64, .int64(let v)), (.sint64, .int64(let v)), (.sfixed64, .int64(let v)):
            setInt64(field, v)
        case (.uint64, .uint64(let v)), (.fixed64, .uint64(let v)):
            setUInt64(field, v)
        case (.float, .float(let v)):
            setFloat(field, v)
        case (.double, .double(let v)):
            setDouble(field, v)
        case (.bool, .bool(let v)):
            setBool(field, v)
        case (.string, .string(let v)):
            setString(field, v, in: arena)
        case (.bytes, .bytes(let v)):
            v.withUnsafeBytes { setBytes(field, $0, in: arena) }
        case (.message, .message(let v)):
            try mutableMessage(field, in: arena).write(v, in: arena)
        default:
            throw Self.kindMismatch(field, value)
        }
    }

    private func appendSingle(_ field: FieldLayout, _ value: ProtoValue, in arena: Arena) throws(WireError) {
        switch (field.kind, value) {
        case (.int32, .int32(let v)), (.sint32, .int32(let v)), (.sfixed32, .int32(let v)), (.enum, .enumNumber(let v)):
            appendInt32(field, v, in: arena)
        case (.uint32, .uint32(let v)), (.fixed32, .uint32(let v)):
            appendUInt32(field, v, in: arena)
        case (.int64, .int64(let v)), (.sint64, .int64(let v)), (.sfixed64, .int64(let v)):
            appendInt64(field, v, in: arena)
        case (.uint64, .uint64(let v)), (.fixed64, .uint64(let v)):
            appendUInt64(field, v, in: arena)
        case (.float, .float(let v)):
            appendFloat(field, v, in: arena)
        case (.double, .double(let v)):
            appendDouble(field, v, in: arena)
        case (.bool, .bool(let v)):
            appendBool(field, v, in: arena)
        case (.string, .string(let v)):
            appendString(field, v, in: arena)
        case (.bytes, .bytes(let v)):
            v.withUnsafeBytes { appendBytes(field, $0, in: arena) }
        case (.message, .message(let v)):
            try appendMessage(field, in: arena).write(v, in: arena)
        default:
            throw Self.kindMismatch(field, value)
        }
    }

    private static func kindMismatch(_ field: FieldLayout, _ value: ProtoValue) -> WireError {
        WireError(.invalidValue, "a \(field.kind) field cannot hold \(value)")
    }

    /// The map entry order of Python protobuf's (upb's) deterministic serialization, so encodings match it
    /// byte for byte: integer keys descending by their two's-complement bits (so negative keys first), `true`
    /// before `false`, strings ascending by UTF-8 bytes except that a string comes after its extensions
    /// (`"ab"`, `"a"`, `"b"`, `""`).
    static func keyPrecedes(_ lhs: ProtoValue, _ rhs: ProtoValue) -> Bool {
        switch (lhs, rhs) {
        case (.int32(let a), .int32(let b)): UInt64(bitPattern: Int64(a)) > UInt64(bitPattern: Int64(b))
        case (.int64(let a), .int64(let b)): UInt64(bitPattern: a) > UInt64(bitPattern: b)
        case (.uint32(let a), .uint32(let b)): a > b
        case (.uint64(let a), .uint64(let b)): a > b
        case (.bool(let a), .bool(let b)): a && !b
        case (.string(let a), .string(let b)): stringKeyPrecedes(Array(a.utf8), Array(b.utf8))
        default: false
        }
    }

    private static func stringKeyPrecedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        for (x, y) in zip(a, b) where x != y {
            return x < y
        }
        return a.count > b.count
    }

    /// The message's present fields as a value.
    package func read() -> ProtoMessage {
        var fields: [String: ProtoValue] = [:]
        for field in layout.fields where has(field) {
            if field.isMap, let keyField = field.mapKey, let valueField = field.mapValue {
                var entries: [ProtoValue: ProtoValue] = [:]
                for index in 0..<count(field) {
                    let entry = message(field, at: index)
                    entries[entry.readSingle(keyField)] = entry.readSingle(valueField)
                }
                fields[field.name] = .map(entries)
            } else if field.isRepeated {
                fields[field.name] = .list((0..<count(field)).map { readElement(field, at: $0) })
            } else {
                fields[field.name] = readSingle(field)
            }
        }
        return ProtoMessage(layout.fullName, fields)
    }

    private func readSingle(_ field: FieldLayout) -> ProtoValue {
        switch field.kind {
        case .int32, .sint32, .sfixed32: .int32(int32(field))
        case .enum: .enumNumber(int32(field))
        case .uint32, .fixed32: .uint32(uint32(field))
        case .int64, .sint64, .sfixed64: .int64(int64(field))
        case .uint64, .fixed64: .uint64(uint64(field))
        case .float: .float(float(field))
        case .double: .double(double(field))
        case .bool: .bool(bool(field))
        case .string: .string(string(field))
        case .bytes: .bytes(Array(bytes(field)))
        case .message, .group: .message(message(field)?.read() ?? ProtoMessage(field.message?.fullName ?? ""))
        }
    }

    private func readElement(_ field: FieldLayout, at index: Int) -> ProtoValue {
        switch field.kind {
        case .int32, .sint32, .sfixed32: .int32(int32(field, at: index))
        case .enum: .enumNumber(int32(field, at: index))
        case .uint32, .fixed32: .uint32(uint32(field, at: index))
        case .int64, .sint64, .sfixed64: .int64(int64(field, at: index))
        case .uint64, .fixed64: .uint64(uint64(field, at: index))
        case .float: .float(float(field, at: index))
        case .double: .double(double(field, at: index))
        case .bool: .bool(bool(field, at: index))
        case .string: .string(string(field, at: index))
        case .bytes: .bytes(Array(bytes(field, at: index)))
        case .message, .group: .message(message(field, at: index).read())
        }
    }
}
