#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds a field by the UTF-8 bytes of a JSON key, without making a `String` or hashing one.
///
/// An open-addressing table keyed by FNV-1a; every name's bytes sit in one flat array, so confirming a
/// match is one `memcmp` and no reference count. Built once per message plan.
struct JSONNameLookup: Sendable {
    /// A field index and whether the key was the proto name (not the JSON name).
    struct Match {
        let index: Int
        let isProtoName: Bool
    }

    private struct Entry: Sendable {
        let start: Int
        let count: Int
        let index: Int
        let isProtoName: Bool
    }

    /// The names' UTF-8 bytes, one after the other.
    private let nameBytes: [UInt8]
    private let entries: [Entry]
    private let slots: [Int32]
    private let mask: Int

    /// A table of `names` (each accepted name to its field index); `isProtoName` tells a proto name.
    init(names: [String: Int], isProtoName: (String, Int) -> Bool) {
        let sorted = names.sorted { $0.key < $1.key }
        var capacity = 8
        while capacity < sorted.count * 2 { capacity *= 2 }
        var slots = [Int32](repeating: -1, count: capacity)
        var bytes: [UInt8] = []
        var entries: [Entry] = []
        for (position, entry) in sorted.enumerated() {
            let utf8 = Array(entry.key.utf8)
            var slot = utf8.withUnsafeBytes { Int(truncatingIfNeeded: Self.hash($0)) } & (capacity - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(position)
            entries.append(Entry(start: bytes.count, count: utf8.count, index: entry.value, isProtoName: isProtoName(entry.key, entry.value)))
            bytes.append(contentsOf: utf8)
        }
        nameBytes = bytes
        self.entries = entries
        self.slots = slots
        mask = capacity - 1
    }

    /// The field a key names, or `nil`.
    func match(_ key: UnsafeRawBufferPointer) -> Match? {
        var slot = Int(truncatingIfNeeded: Self.hash(key)) & mask
        return nameBytes.withUnsafeBytes { names in
            while true {
                let position = Int(slots[slot])
                if position < 0 { return nil }
                let entry = entries[position]
                if entry.count == key.count
                    && (key.count == 0 || memcmp(names.baseAddress! + entry.start, key.baseAddress!, key.count) == 0) {
                    return Match(index: entry.index, isProtoName: entry.isProtoName)
                }
                slot = (slot + 1) & mask
            }
        }
    }

    private static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
