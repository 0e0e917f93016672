import CProtobufC
import PorticoSchema

extension JSONMessageParser {
    /// Reads one scalar of `kind` and sets or appends it.
    mutating func parseScalar(_ kind: FieldType, field: FieldLayout, into handle: MessageHandle, append: Bool) throws {
        switch kind {
        case .int32, .sint32, .sfixed32:
            let value = Int32(truncatingIfNeeded: try reader.readSignedInteger(.int32))
            if append { handle.appendInt32(field, value, in: arena) } else { handle.setInt32(field, value) }
        case .int64, .sint64, .sfixed64:
            let value = try reader.readSignedInteger(.int64)
            if append { handle.appendInt64(field, value, in: arena) } else { handle.setInt64(field, value) }
        case .uint32, .fixed32:
            let value = UInt32(truncatingIfNeeded: try reader.readUnsignedInteger(.uint32))
            if append { handle.appendUInt32(field, value, in: arena) } else { handle.setUInt32(field, value) }
        case .uint64, .fixed64:
            let value = try reader.readUnsignedInteger(.uint64)
            if append { handle.appendUInt64(field, value, in: arena) } else { handle.setUInt64(field, value) }
        case .double:
            let value = try reader.readDouble()
            if append { handle.appendDouble(field, value, in: arena) } else { handle.setDouble(field, value) }
        case .float:
            let value = try reader.readFloat()
            if append { handle.appendFloat(field, value, in: arena) } else { handle.setFloat(field, value) }
        case .bool:
            try expectKind(.bool, "true or false")
            let value = try reader.readBool()
            if append { handle.appendBool(field, value, in: arena) } else { handle.setBool(field, value) }
        case .string:
            if let text = reader.readPlainString() {
                if append { handle.appendBytes(field, text, in: arena) } else { handle.setBytes(field, text, in: arena) }
                return
            }
            try expectKind(.string, "a string")
            let arena = arena
            try reader.withStringBytes { text in
                if append { handle.appendBytes(field, text, in: arena) } else { handle.setBytes(field, text, in: arena) }
            }
        case .bytes:
            try expectKind(.string, "a base64 string")
            let data = try readBase64()
            if append { handle.append(data, field, in: arena) } else { handle.store(data, field) }
        case .enum, .message, .group:
            throw failure("not a scalar field")
        }
    }

    /// Reads a base64 string and decodes it into the arena.
    mutating func readBase64() throws -> ProtobufCBinaryData {
        if let text = reader.readPlainString() { return try Self.decodeBase64(text, in: arena) }
        let arena = arena
        return try reader.withStringBytes { text in try Self.decodeBase64(text, in: arena) }
    }

    private static func decodeBase64(_ text: UnsafeRawBufferPointer, in arena: Arena) throws(JSONReadError) -> ProtobufCBinaryData {
        let count = try Base64.decodedCount(text)
        guard count > 0 else { return ProtobufCBinaryData(len: 0, data: nil) }
        let memory = arena.allocate(byteCount: count)
        Base64.decode(text, into: UnsafeMutableRawBufferPointer(start: memory, count: count))
        return ProtobufCBinaryData(len: count, data: memory.assumingMemoryBound(to: UInt8.self))
    }

    /// Reads an enum value by name or number; `nil` for an unknown name when unknown fields are ignored.
    mutating func readEnum(_ enumType: EnumLayout) throws -> Int32? {
        switch try reader.peekKind() {
        case .string:
            let name = try reader.readString()
            if let number = enumType.number(named: name) { return number }
            if options.ignoreUnknownFields { return nil }
            throw failure("unknown value \"\(name)\" for enum \(enumType.fullName)")
        case .number:
            return Int32(truncatingIfNeeded: try reader.readSignedInteger(.int32))
        case let kind:
            throw failure("expected an enum name or number, got \(kind.noun)")
        }
    }

    /// Reads a `google.protobuf.NullValue`: `null` (or its name or number, as protobuf's parsers allow).
    mutating func readNullValue() throws {
        switch try reader.peekKind() {
        case .null:
            try reader.readNull()
        case .string:
            let name = try reader.readString()
            guard name == "NULL_VALUE" else { throw failure("unknown value \"\(name)\" for enum google.protobuf.NullValue") }
        case .number:
            guard try reader.readSignedInteger(.int32) == 0 else { throw failure("NullValue must be null") }
        case let kind:
            throw failure("expected null, got \(kind.noun)")
        }
    }
}
