import Crypto
import PorticoConfig

/// The known API keys, by the SHA-256 of the key; a presented key is hashed and compared in constant time.
///
/// Entries are spread over 256 buckets by the first byte of their digest. Within a bucket every entry is
/// compared in full, without stopping early, so the time taken tells nothing about how close a guess
/// came; the bucket itself reveals only a byte of the hash of the key the caller sent.
struct APIKeyStore: Sendable {
    private let buckets: [[APIKeyEntry]]

    init(entries: [APIKeyEntry]) {
        var buckets = Array(repeating: [APIKeyEntry](), count: 256)
        for entry in entries where entry.sha256.count == SHA256.Digest.byteCount {
            buckets[Int(entry.sha256[0])].append(entry)
        }
        self.buckets = buckets
    }

    /// The entry whose key is `key`, or `nil`.
    func entry(forKey key: Substring) -> APIKeyEntry? {
        let digest = Array(SHA256.hash(data: Array(key.utf8)))
        var match: APIKeyEntry?
        for entry in buckets[Int(digest[0])] where Self.constantTimeEqual(entry.sha256, digest) {
            match = entry
        }
        return match
    }

    private static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }
}
