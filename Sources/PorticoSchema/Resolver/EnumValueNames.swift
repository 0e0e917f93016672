/// protoc's rule that enum value names stay distinct once code generators strip the enum's name prefix
/// and PascalCase them (`MY_ENUM_FOO` and `FOO` both become `Foo`).
enum EnumValueNames {
    /// For each value whose stripped name repeats an earlier value's with another number, the two names.
    static func conflicts(enumName: String, values: [(name: String, number: Int32)]) -> [(value: String, earlier: String)] {
        let prefix = Array(enumName.lowercased().filter { $0 != "_" }.utf8)
        var seen: [String: (name: String, number: Int32)] = [:]
        var conflicts: [(String, String)] = []
        for value in values {
            let key = pascalCase(removingPrefix: prefix, from: value.name)
            if let earlier = seen[key] {
                if earlier.name != value.name, earlier.number != value.number {
                    conflicts.append((value.name, earlier.name))
                }
            } else {
                seen[key] = value
            }
        }
        return conflicts
    }

    /// The name without the enum's prefix (compared case-insensitively, underscores skipped) when
    /// something remains after it, then in PascalCase.
    private static func pascalCase(removingPrefix prefix: [UInt8], from name: String) -> String {
        let bytes = Array(name.utf8)
        var index = 0
        var matched = 0
        var stripped = true
        while index < bytes.count, matched < prefix.count {
            if bytes[index] != UInt8(ascii: "_") {
                if lowercased(bytes[index]) != prefix[matched] {
                    stripped = false
                    break
                }
                matched += 1
            }
            index += 1
        }
        if matched < prefix.count { stripped = false }
        while stripped, index < bytes.count, bytes[index] == UInt8(ascii: "_") { index += 1 }
        let rest = stripped && index < bytes.count ? Array(bytes[index...]) : bytes
        var result: [UInt8] = []
        var upperNext = true
        for byte in rest {
            if byte == UInt8(ascii: "_") {
                upperNext = true
            } else {
                result.append(upperNext ? uppercased(byte) : lowercased(byte))
                upperNext = false
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
    }

    private static func uppercased(_ byte: UInt8) -> UInt8 {
        (0x61...0x7A).contains(byte) ? byte - 0x20 : byte
    }
}
