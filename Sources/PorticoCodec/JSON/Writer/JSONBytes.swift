/// Word-at-a-time helpers over raw bytes, shared by the reader and the writer.
enum JSONBytes {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The high bit of every byte of `word` (eight bytes, little-endian) that is `"`, `\` or a control
    /// character (below 0x20). The lowest set bit is exact; bits above it may be spurious (a borrow only
    /// carries into the bytes above a flagged one), so callers use the lowest only.
    @inline(__always)
    static func specialBytes(in word: UInt64) -> UInt64 {
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        return ((word &- ones &* 0x20) & ~word
            | (quotes &- ones) & ~quotes
            | (backslashes &- ones) & ~backslashes) & highBits
    }

    /// The index of the first `"`, `\` or control byte of `text` at or after `start`, or `count`.
    @inline(__always)
    static func nextByteToEscape(_ text: UnsafeRawPointer, from start: Int, count: Int) -> Int {
        var index = start
        while index + 8 <= count {
            let flagged = specialBytes(in: UInt64(littleEndian: text.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            if flagged != 0 { return index + flagged.trailingZeroBitCount >> 3 }
            index += 8
        }
        while index < count {
            let byte = text.load(fromByteOffset: index, as: UInt8.self)
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return index }
            index += 1
        }
        return count
    }

    /// Copies `count` bytes: eight at a time (the last word overlapping) when there are at least eight,
    /// byte by byte otherwise; for the short runs of keys and values, where a `memcpy` call costs more than
    /// the copy.
    @inline(__always)
    static func copyShort(from source: UnsafeRawPointer, to target: UnsafeMutablePointer<UInt8>, count: Int) {
        let target = UnsafeMutableRawPointer(target)
        if count >= 8 {
            var index = 0
            while index + 8 < count {
                target.storeBytes(of: source.loadUnaligned(fromByteOffset: index, as: UInt64.self), toByteOffset: index, as: UInt64.self)
                index += 8
            }
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self), toByteOffset: count - 8, as: UInt64.self)
            return
        }
        for index in 0..<count {
            target.storeBytes(of: source.load(fromByteOffset: index, as: UInt8.self), toByteOffset: index, as: UInt8.self)
        }
    }
}
