/// Finds a field by the UTF-8 bytes of a JSON key, without making a `String` or hashing one.
///
/// An open-addressing table keyed by FNV-1a; each entry keeps its name's bytes to confirm a match. Built
/// once per message plan.
struct JSONNameLookup: Sendable {
    /// A field index and whether the key was the proto name (not the JSON name).
    struct Match {
        let index: Int
        let isProtoName: Bool
    }

    private let names: [[UInt8]]
    private let matches: [(index: Int, isProtoName: Bool)]
    private let slots: [Int32]
    private let mask: Int

    /// A table of `names` (each accepted name to its field index); `isProtoName` tells a proto name.
    init(names: [String: Int], isProtoName: (String, Int) -> Bool) {
        let entries = names.sorted { $0.key < $1.key }
        var capacity = 8
        while capacity < entries.count * 2 { capacity *= 2 }
        var slots = [Int32](repeating: -1, count: capacity)
        for (position, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: Self.hash(Array(entry.key.utf8))) & (capacity - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(position)
        }
        self.names = entries.map { Array($0.key.utf8) }
        self.matches = entries.map { ($0.value, isProtoName($0.key, $0.value)) }
        self.slots = slots
        self.mask = capacity - 1
    }

    /// The field a key names, or `nil`.
    func match(_ key: UnsafeRawBufferPointer) -> Match? {
        var slot = Int(truncatingIfNeeded: Self.hash(key)) & mask
        while true {
            let position = Int(slots[slot])
            if position < 0 { return nil }
            let name = names[position]
            if name.count == key.count && name.withUnsafeBytes({ $0.elementsEqual(key) }) {
                let match = matches[position]
                return Match(index: match.index, isProtoName: match.isProtoName)
            }
            slot = (slot + 1) & mask
        }
    }

    private static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
