import Synchronization

/// A Lua script run with `EVALSHA`: loaded once with `SCRIPT LOAD`, whose SHA1 is then remembered.
///
/// ``RedisClient/evaluate(_:keys:arguments:on:)`` loads it again and retries once when the server answers
/// `NOSCRIPT` (a restarted server, or `SCRIPT FLUSH`).
public final class RedisScript: Sendable {
    public let source: String
    private let loadedDigest = Mutex<String?>(nil)

    public init(source: String) {
        self.source = source
    }

    /// The SHA1 `SCRIPT LOAD` returned; `nil` before the first load.
    var digest: String? {
        get { loadedDigest.withLock { $0 } }
        set { loadedDigest.withLock { $0 = newValue } }
    }
}
