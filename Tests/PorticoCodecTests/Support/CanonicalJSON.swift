import Foundation
import PorticoCodec
import PorticoSchema

/// The exact JSON form `Tests/Fixtures/python/wire_interop.py` writes (64-bit integers as decimal strings,
/// floats as the hex of their bits, bytes as hex, map keys as strings), read back into ``ProtoMessage``s.
enum CanonicalJSON {
    struct Mismatch: Error, CustomStringConvertible {
        var description: String
    }

    static func message(_ object: Any, layout: MessageLayout) throws -> ProtoMessage {
        guard let fields = object as? [String: Any] else { throw Mismatch(description: "\(layout.fullName): not an object") }
        var message = ProtoMessage(layout.fullName)
        for (name, raw) in fields {
            guard let field = layout.field(named: name) else { throw Mismatch(description: "\(layout.fullName) has no \(name)") }
            if field.isMap, let keyField = field.mapKey, let valueField = field.mapValue {
                var entries: [ProtoValue: ProtoValue] = [:]
                for (key, item) in raw as? [String: Any] ?? [:] {
                    entries[try self.key(key, keyField)] = try value(item, valueField)
                }
                message[name] = .map(entries)
            } else if field.isRepeated {
                message[name] = .list(try (raw as? [Any] ?? []).map { try value($0, field) })
            } else {
                message[name] = try value(raw, field)
            }
        }
        return message
    }

    static func value(_ raw: Any, _ field: FieldLayout) throws -> ProtoValue {
        func number() throws -> NSNumber {
            guard let number = raw as? NSNumber else { throw Mismatch(description: "\(field.name): not a number") }
            return number
        }
        func text() throws -> String {
            guard let text = raw as? String else { throw Mismatch(description: "\(field.name): not a string") }
            return text
        }
        switch field.kind {
        case .int32, .sint32, .sfixed32: return .int32(try number().int32Value)
        case .enum: return .enumNumber(try number().int32Value)
        case .uint32, .fixed32: return .uint32(try number().uint32Value)
        case .int64, .sint64, .sfixed64: return .int64(Int64(try text())!)
        case .uint64, .fixed64: return .uint64(UInt64(try text())!)
        case .float: return .float(Float(bitPattern: UInt32(try text(), radix: 16)!))
        case .double: return .double(Double(bitPattern: UInt64(try text(), radix: 16)!))
        case .bool: return .bool(try number().boolValue)
        case .string: return .string(try text())
        case .bytes: return .bytes(Hex.decode(try text()))
        case .message, .group: return .message(try message(raw, layout: field.message!))
        }
    }

    static func key(_ text: String, _ field: FieldLayout) throws -> ProtoValue {
        switch field.kind {
        case .int32, .sint32, .sfixed32: .int32(Int32(text)!)
        case .uint32, .fixed32: .uint32(UInt32(text)!)
        case .int64, .sint64, .sfixed64: .int64(Int64(text)!)
        case .uint64, .fixed64: .uint64(UInt64(text)!)
        case .bool: .bool(text == "true")
        default: .string(text)
        }
    }
}

/// Hex strings of bytes, as the Python peer writes them.
enum Hex {
    static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8] {
        let chars = Array(text.utf8)
        func nibble(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
        return stride(from: 0, to: chars.count - 1, by: 2).map { nibble(chars[$0]) << 4 | nibble(chars[$0 + 1]) }
    }
}
