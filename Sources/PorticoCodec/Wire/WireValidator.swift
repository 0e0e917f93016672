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
struct WireValidator {
    let limits: WireLimits

    /// Validates one encoded message of `layout`.
    func validate(_ bytes: UnsafeRawBufferPointer, as layout: MessageLayout) throws(WireError) {
        guard bytes.count <= limits.maxMessageSize else {
            throw WireError(.tooLarge, "message of \(bytes.count) bytes exceeds the limit of \(limits.maxMessageSize)")
        }
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else {
            try checkRequired(seen: 0, table: layout.scanTable)
            return
        }
        try scan(base, base + bytes.count, table: layout.scanTable, depth: 0)
    }

    private var maxDepth: Int { min(limits.maxDepth, 1000) }

    private func scan(
        _ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, table: UnsafeMutablePointer<ScanTable>, depth: Int
    ) throws(WireError) {
        var cursor = start
        var requiredSeen: UInt64 = 0
        while cursor < end {
            let tagStart = cursor
            guard let tag = Self.varint(&cursor, end, maxBytes: 5), tag <= UInt64(UInt32.max) else {
                throw WireError(.malformed, "truncated or overlong field tag")
            }
            let wireType = UInt8(tag & 7)
            let number = tag >> 3
            guard number >= 1, number <= 536_870_911 else {
                throw WireError(.malformed, "invalid field number \(number)")
            }
            let entry = table.pointee.entry(Int32(number))
            var payload: UnsafePointer<UInt8>?
            var payloadEnd = cursor
            switch wireType {
            case 0:
                guard Self.varint(&cursor, end, maxBytes: 10) != nil else {
                    throw WireError(.malformed, "truncated or overlong varint", path: Self.name(entry, number, table))
                }
            case 1, 5:
                let size = wireType == 1 ? 8 : 4
                guard end - cursor >= size else {
                    throw WireError(.malformed, "truncated fixed-size value", path: Self.name(entry, number, table))
                }
                cursor += size
            case 2:
                guard let length = Self.varint(&cursor, end, maxBytes: 5) else {
                    throw WireError(.malformed, "truncated or overlong length", path: Self.name(entry, number, table))
                }
                guard length <= UInt64(end - cursor) else {
                    throw WireError(.malformed, "length \(length) runs past the end of the message",
                                    path: Self.name(entry, number, table))
                }
                payload = cursor
                cursor += Int(length)
                payloadEnd = cursor
            case 3, 4:
                throw WireError(.group, "groups (wire types 3 and 4) are not supported", path: Self.name(entry, number, table))
            default:
                throw WireError(.malformed, "invalid wire type \(wireType)", path: Self.name(entry, number, table))
            }
            guard let entry else { continue }
            let field = entry.pointee
            if field.requiredBit != 0xFF { requiredSeen |= 1 << UInt64(field.requiredBit) }
            if wireType != field.wireType {
                guard wireType == 2, field.flags & ScanTable.Entry.isPackable != 0, let payload else {
                    let layout = table.pointee.layout.fields[Int(field.fieldIndex)]
                    throw WireError(.wrongWireType, "wire type \(wireType) does not match the field's type \(layout.kind)",
                                    path: layout.name)
                }
                try checkPacked(payload, payloadEnd, wireType: field.wireType, table: table, entry: entry)
                continue
            }
            guard let payload else { continue }
            if field.flags & ScanTable.Entry.isString != 0 {
                guard UTF8Validation.isValid(payload, count: payloadEnd - payload) else {
                    throw WireError(.invalidUTF8, "string field holds invalid UTF-8", path: Self.name(entry, number, table))
                }
            } else if field.flags & ScanTable.Entry.isMessage != 0, let sub = field.sub {
                guard depth + 1 <= maxDepth else {
                    throw WireError(.tooDeep, "messages nested deeper than \(maxDepth) levels", path: Self.name(entry, number, table))
                }
                do {
                    try scan(payload, payloadEnd, table: sub, depth: depth + 1)
                } catch {
                    let layout = table.pointee.layout.fields[Int(field.fieldIndex)]
                    throw error.nested(under: segment(layout, start: start, before: tagStart))
                }
            }
        }
        try checkRequired(seen: requiredSeen, table: table)
    }

    /// The field's name, or `field N` for a number the message does not declare (error path only).
    private static func name(_ entry: UnsafeMutablePointer<ScanTable.Entry>?, _ number: UInt64, _ table: UnsafeMutablePointer<ScanTable>) -> String {
        guard let entry else { return "field \(number)" }
        return table.pointee.layout.fields[Int(entry.pointee.fieldIndex)].name
    }

    private func checkRequired(seen: UInt64, table: UnsafeMutablePointer<ScanTable>) throws(WireError) {
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
    private func checkPacked(
        _ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, wireType: UInt8,
        table: UnsafeMutablePointer<ScanTable>, entry: UnsafeMutablePointer<ScanTable.Entry>
    ) throws(WireError) {
        switch wireType {
        case 0:
            var cursor = start
            while cursor < end {
                guard Self.varint(&cursor, end, maxBytes: 10) != nil else {
                    throw WireError(.malformed, "truncated varint in packed field", path: Self.name(entry, 0, table))
                }
            }
        default:
            let size = wireType == 1 ? 8 : 4
            guard (end - start) % size == 0 else {
                throw WireError(.malformed, "packed field length is not a multiple of \(size)", path: Self.name(entry, 0, table))
            }
        }
    }

    /// `name` or `name[index]` for the occurrence of a field that starts at `before` (error path only).
    private func segment(_ field: FieldLayout, start: UnsafePointer<UInt8>, before: UnsafePointer<UInt8>) -> String {
        guard field.isRepeated else { return field.name }
        var cursor = start
        var index = 0
        while cursor < before, let tag = Self.varint(&cursor, before, maxBytes: 5) {
            if tag >> 3 == UInt64(field.number) { index += 1 }
            switch tag & 7 {
            case 0: _ = Self.varint(&cursor, before, maxBytes: 10)
            case 1: cursor += 8
            case 5: cursor += 4
            default: cursor += Int(Self.varint(&cursor, before, maxBytes: 5) ?? 0)
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
