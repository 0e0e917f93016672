/// Strict UTF-8 validation as proto3 requires for `string` fields (protobuf-c does none).
///
/// Rejects overlong forms, surrogates (U+D800–U+DFFF), code points above U+10FFFF and truncated sequences.
enum UTF8Validation {
    @inline(__always)
    static func isValid(_ start: UnsafePointer<UInt8>, count: Int) -> Bool {
        isASCII(start, count: count) || isValidMultibyte(start, count: count)
    }

    /// Whether every byte is below 0x80, with word loads: whole words, then one last word that may overlap
    /// the previous one (most protobuf strings are short ASCII identifiers).
    @inline(__always)
    static func isASCII(_ start: UnsafePointer<UInt8>, count: Int) -> Bool {
        let raw = UnsafeRawPointer(start)
        if count >= 8 {
            var bits: UInt64 = 0
            var index = 0
            while index + 8 <= count {
                bits |= raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                index += 8
            }
            bits |= raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            return bits & 0x8080_8080_8080_8080 == 0
        }
        if count >= 4 {
            let bits = raw.loadUnaligned(as: UInt32.self) | raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
            return bits & 0x8080_8080 == 0
        }
        var bits: UInt8 = 0
        for index in 0..<count { bits |= start[index] }
        return bits < 0x80
    }

    private static func isValidMultibyte(_ start: UnsafePointer<UInt8>, count: Int) -> Bool {
        var index = 0
        while index < count {
            // ASCII fast path, 8 bytes at a time.
            while index + 8 <= count,
                  UnsafeRawPointer(start + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
            }
            guard index < count else { return true }
            let lead = start[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return false
            }
            guard index + length <= count else { return false }
            let second = start[index + 1]
            guard second >= lower && second <= upper else { return false }
            for offset in 2..<length where start[index + offset] & 0xC0 != 0x80 {
                return false
            }
            index += length
        }
        return true
    }
}
