import PorticoSchema

/// The safety pass in front of `protobuf_c_message_unpack`: walks the bytes with the message layout and
/// rejects anything protobuf-c would choke on, crash on, or silently accept against the spec.
///
/// It checks the total size and the nesting depth (protobuf-c recurses without a limit), every tag
/// (field number 1…2²⁹−1, wire types 0, 1, 2 and 5; groups get their own error), every varint (at most
/// 10 bytes, not truncated), every length (within its parent), the wire type of each known field (packed
/// or not for packable repeated fields, with whole elements), the UTF-8 of every `string` value, and the
/// presence of proto2 `required` fields. Unknown fields are checked for framing only and kept.
/// The pass allocates nothing; errors carry the field path.
///
/// It runs on every decoded message, so the loop is built for the common case: a one-byte tag of a known
/// field with its declared wire type is looked up in one step (``ScanTable/quick``), one-byte varints and
/// lengths are read inline, and everything else (longer tags, unknown fields, packed payloads, errors)
/// goes through ``slowField(_:_:table:)``.
struct WireValidator {
    let limits: WireLimits

    /// Validates one encoded message of `layout`.
    func validate(_ bytes: UnsafeRawBufferPointer, as layout: MessageLayout) throws(WireError) {
        guard bytes.count <= limits.maxMessageSize else {
            throw WireError(.tooLarge, "message of \(bytes.count) bytes exceeds the limit of \(limits.maxMessageSize)")
        }
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else {
            try Self.checkRequired(seen: 0, table: layout.scanTable)
            return
        }
        try scan(base, base + bytes.count, table: layout.scanTable, depth: 0)
    }

    private var maxDepth: Int { min(limits.maxDepth, 1000) }

    private func scan(
        _ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, table: UnsafeMutablePointer<ScanTable>, depth: Int
    ) throws(WireError) {
        let entries = table.pointee.entries
        let quick = table.pointee.quick
        var cursor = start
        var requiredSeen: UInt64 = 0
        while cursor < end {
            let tagStart = cursor
            let entry: UnsafeMutablePointer<ScanTable.Entry>
            let first = cursor.pointee
            if first < 0x80, quick[Int(first)] >= 0 {
                entry = entries + Int(quick[Int(first)])
                cursor += 1
            } else {
                let (matched, next) = try Self.slowField(cursor, end, table: table)
                cursor = next
                guard let matched else { continue }
                entry = matched
            }
            // A known field with its declared wire type; the cursor is at its value.
            let field = entry.pointee
            if field.requiredBit != 0xFF { requiredSeen |= 1 << UInt64(field.requiredBit) }
            if field.wireType == 2 {
                // Length-delimited first: strings and sub-messages are most of a typical message's fields.
                let payload = try Self.lengthPrefixed(&cursor, end, entry, table)
                let payloadEnd = cursor
                if field.flags & ScanTable.Entry.isString != 0 {
                    guard UTF8Validation.isValid(payload, count: payloadEnd - payload) else {
                        throw Self.failure(.invalidUTF8, "string field holds invalid UTF-8", entry, table)
                    }
                } else if field.flags & ScanTable.Entry.isMessage != 0, let sub = field.sub {
                    guard depth < maxDepth else {
                        throw Self.failure(.tooDeep, "messages nested deeper than \(maxDepth) levels", entry, table)
                    }
                    do {
                        try scan(payload, payloadEnd, table: sub, depth: depth + 1)
                    } catch {
                        let layout = table.pointee.layout.fields[Int(field.fieldIndex)]
                        throw error.nested(under: Self.segment(layout, start: start, before: tagStart))
                    }
                }
            } else if field.wireType == 0 {
                if cursor < end, cursor.pointee < 0x80 {
                    cursor += 1
                } else if Self.varint(&cursor, end, maxBytes: 10) == nil {
                    throw Self.failure(.malformed, "truncated or overlong varint", entry, table)
                }
            } else {
                let size = field.wireType == 1 ? 8 : 4
                guard end - cursor >= size else {
                    throw Self.failure(.malformed, "truncated fixed-size value", entry, table)
                }
                cursor += size
            }
        }
        if table.pointee.requiredMask != 0 {
            try Self.checkRequired(seen: requiredSeen, table: table)
        }
    }

    /// Reads a tag the quick table does not answer and, for an unknown field or a packed payload, checks and
    /// skips its value. Returns the field when it is known and carries its declared wire type (the returned
    /// position is then its value), `nil` when the value was consumed here (the position is past it).
    /// The position comes back as a result so the caller's cursor stays in a register.
    private static func slowField(
        _ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, table: UnsafeMutablePointer<ScanTable>
    ) throws(WireError) -> (UnsafeMutablePointer<ScanTable.Entry>?, UnsafePointer<UInt8>) {
        var cursor = start
        guard let tag = varint(&cursor, end, maxBytes: 5), tag <= UInt64(UInt32.max) else {
            throw WireError(.malformed, "truncated or overlong field tag")
        }
        let wireType = UInt8(truncatingIfNeeded: tag & 7)
        let number = tag >> 3
        guard number >= 1, number <= 536_870_911 else {
            throw WireError(.malformed, "invalid field number \(number)")
        }
        let entry = table.pointee.entry(Int32(truncatingIfNeeded: number))
        switch wireType {
        case 3, 4:
            throw WireError(.group, "groups (wire types 3 and 4) are not supported", path: name(entry, number, table))
        case 6, 7:
            throw WireError(.malformed, "invalid wire type \(wireType)", path: name(entry, number, table))
        default:
            if let entry, entry.pointee.wireType == wireType { return (entry, cursor) }
        }
        switch wireType {
        case 0:
            guard varint(&cursor, end, maxBytes: 10) != nil else {
                throw WireError(.malformed, "truncated or overlong varint", path: name(entry, number, table))
            }
        case 1, 5:
            let size = wireType == 1 ? 8 : 4
            guard end - cursor >= size else {
                throw WireError(.malformed, "truncated fixed-size value", path: name(entry, number, table))
            }
            cursor += size
        case 2:
            let payload = try lengthPrefixed(&cursor, end, entry, table, number: number)
            if let entry, entry.pointee.flags & ScanTable.Entry.isPackable != 0 {
                try checkPacked(payload, cursor, wireType: entry.pointee.wireType, table: table, entry: entry)
                return (nil, cursor)
            }
        default:
            break
        }
        guard let entry else { return (nil, cursor) }
        let layout = table.pointee.layout.fields[Int(entry.pointee.fieldIndex)]
        throw WireError(.wrongWireType, "wire type \(wireType) does not match the field's type \(layout.kind)", path: layout.name)
    }

    /// Reads a length and checks it against the end; returns the start of the payload and moves the cursor
    /// past it.
    @inline(__always)
    private static func lengthPrefixed(
        _ cursor: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>,
        _ entry: UnsafeMutablePointer<ScanTable.Entry>?, _ table: UnsafeMutablePointer<ScanTable>, number: UInt64 = 0
    ) throws(WireError) -> UnsafePointer<UInt8> {
        var length: UInt64
        if cursor < end, cursor.pointee < 0x80 {
            length = UInt64(cursor.pointee)
            cursor += 1
        } else {
            guard let long = varint(&cursor, end, maxBytes: 5) else {
                throw WireError(.malformed, "truncated or overlong length", path: name(entry, number, table))
            }
            length = long
        }
        guard length <= UInt64(end - cursor) else {
            throw WireError(.malformed, "length \(length) runs past the end of the message", path: name(entry, number, table))
        }
        let payload = cursor
        cursor += Int(length)
        return payload
    }

    /// An error at a known field (error path only).
    @inline(never)
    private static func failure(
        _ code: WireError.Code, _ detail: String, _ entry: UnsafeMutablePointer<ScanTable.Entry>, _ table: UnsafeMutablePointer<ScanTable>
    ) -> WireError {
        WireError(code, detail, path: name(entry, 0, table))
    }

    /// The field's name, or `field N` for a number the message does not declare (error path only).
    private static func name(_ entry: UnsafeMutablePointer<ScanTable.Entry>?, _ number: UInt64, _ table: UnsafeMutablePointer<ScanTable>) -> String {
        guard let entry else { return "field \(number)" }
        return table.pointee.layout.fields[Int(entry.pointee.fieldIndex)].name
    }

    private static func checkRequired(seen: UInt64, table: UnsafeMutablePointer<ScanTable>) throws(WireError) {
        let mask = table.pointee.requiredMask
        guard seen & mask != mask else { return }
        for index in 0..<table.pointee.count {
            let entry = table.pointee.entries[index]
            if entry.requiredBit != 0xFF, seen & (1 << UInt64(entry.requiredBit)) == 0 {
                throw WireError(.missingRequired, "required field is missing",
                                path: table.pointee.layout.fields[Int(entry.fieldIndex)].name)
            }
        }
    }

    /// A packed payload must hold whole elements: complete varints, or a multiple of 4 or 8 bytes.
    private static func checkPacked(
        _ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, wireType: UInt8,
        table: UnsafeMutablePointer<ScanTable>, entry: UnsafeMutablePointer<ScanTable.Entry>
    ) throws(WireError) {
        switch wireType {
        case 0:
            var cursor = start
            while cursor < end {
                guard varint(&cursor, end, maxBytes: 10) != nil else {
                    throw WireError(.malformed, "truncated varint in packed field", path: name(entry, 0, table))
                }
            }
        default:
            let size = wireType == 1 ? 8 : 4
            guard (end - start) % size == 0 else {
                throw WireError(.malformed, "packed field length is not a multiple of \(size)", path: name(entry, 0, table))
            }
        }
    }

    /// `name` or `name[index]` for the occurrence of a field that starts at `before` (error path only).
    private static func segment(_ field: FieldLayout, start: UnsafePointer<UInt8>, before: UnsafePointer<UInt8>) -> String {
        guard field.isRepeated else { return field.name }
        var cursor = start
        var index = 0
        while cursor < before, let tag = varint(&cursor, before, maxBytes: 5) {
            if tag >> 3 == UInt64(field.number) { index += 1 }
            switch tag & 7 {
            case 0: _ = varint(&cursor, before, maxBytes: 10)
            case 1: cursor += 8
            case 5: cursor += 4
            default: cursor += Int(varint(&cursor, before, maxBytes: 5) ?? 0)
            }
        }
        return "\(field.name)[\(index)]"
    }

    /// Reads a varint of at most `maxBytes` bytes; `nil` when it is truncated or longer.
    @inline(__always)
    static func varint(_ cursor: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, maxBytes: Int) -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var read = 0
        while cursor < end, read < maxBytes {
            let byte = cursor.pointee
            cursor += 1
            read += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        return nil
    }
}
