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
            try checkRequired(seen: 0, layout: layout)
            return
        }
        try scan(base, base + bytes.count, layout: layout, depth: 0)
    }

    private var maxDepth: Int { min(limits.maxDepth, 1000) }

    private func scan(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, layout: MessageLayout, depth: Int) throws(WireError) {
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
            let field = layout.fieldIndex(number: Int32(number)).map { layout.fields[$0] }
            let name = field?.name ?? "field \(number)"
            var payload: UnsafePointer<UInt8>?
            var payloadEnd = cursor
            switch wireType {
            case 0:
                guard Self.varint(&cursor, end, maxBytes: 10) != nil else {
                    throw WireError(.malformed, "truncated or overlong varint", path: name)
                }
            case 1, 5:
                let size = wireType == 1 ? 8 : 4
                guard end - cursor >= size else { throw WireError(.malformed, "truncated fixed-size value", path: name) }
                cursor += size
            case 2:
                guard let length = Self.varint(&cursor, end, maxBytes: 5) else {
                    throw WireError(.malformed, "truncated or overlong length", path: name)
                }
                guard length <= UInt64(end - cursor) else {
                    throw WireError(.malformed, "length \(length) runs past the end of the message", path: name)
                }
                payload = cursor
                cursor += Int(length)
                payloadEnd = cursor
            case 3, 4:
                throw WireError(.group, "groups (wire types 3 and 4) are not supported", path: name)
            default:
                throw WireError(.malformed, "invalid wire type \(wireType)", path: name)
            }
            guard let field else { continue }
            if field.presence == .required, let index = layout.requiredNumbers.firstIndex(of: field.number) {
                requiredSeen |= 1 << UInt64(min(index, 63))
            }
            if wireType != field.wireType {
                guard wireType == 2, field.isRepeated, field.kind.isPackable, let payload else {
                    throw WireError(.wrongWireType, "wire type \(wireType) does not match the field's type \(field.kind)", path: name)
                }
                try checkPacked(payload, payloadEnd, field: field)
                continue
            }
            guard let payload else { continue }
            switch field.kind {
            case .string:
                guard UTF8Validation.isValid(payload, count: payloadEnd - payload) else {
                    throw WireError(.invalidUTF8, "string field holds invalid UTF-8", path: name)
                }
            case .message:
                guard depth + 1 <= maxDepth else {
                    throw WireError(.tooDeep, "messages nested deeper than \(maxDepth) levels", path: name)
                }
                do {
                    try scan(payload, payloadEnd, layout: field.message!, depth: depth + 1)
                } catch {
                    throw error.nested(under: segment(field, start: start, before: tagStart, layout: layout))
                }
            default:
                break
            }
        }
        try checkRequired(seen: requiredSeen, layout: layout)
    }

    private func checkRequired(seen: UInt64, layout: MessageLayout) throws(WireError) {
        for (index, number) in layout.requiredNumbers.enumerated() where index < 64 && seen & (1 << UInt64(index)) == 0 {
            throw WireError(.missingRequired, "required field is missing", path: layout.field(number: number)?.name ?? "\(number)")
        }
    }

    /// A packed payload must hold whole elements: complete varints, or a multiple of 4 or 8 bytes.
    private func checkPacked(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, field: FieldLayout) throws(WireError) {
        switch field.wireType {
        case 0:
            var cursor = start
            while cursor < end {
                guard Self.varint(&cursor, end, maxBytes: 10) != nil else {
                    throw WireError(.malformed, "truncated varint in packed field", path: field.name)
                }
            }
        default:
            let size = field.wireType == 1 ? 8 : 4
            guard (end - start) % size == 0 else {
                throw WireError(.malformed, "packed field length is not a multiple of \(size)", path: field.name)
            }
        }
    }

    /// `name` or `name[index]` for the occurrence of a field that starts at `before` (error path only).
    private func segment(_ field: FieldLayout, start: UnsafePointer<UInt8>, before: UnsafePointer<UInt8>, layout: MessageLayout) -> String {
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
