import NIOCore
public import PorticoCore
import Synchronization

/// Rate limits keyed by principal, API key or client address, exact across event loops, in bounded memory.
///
/// Keys are spread over shards, each behind its own lock, so event loops rarely wait for one another; a
/// key always lands in the same shard, so its count is exact. Each shard holds at most
/// `capacity / shards` keys in a ring: a new key takes the oldest key's slot. A key whose state is dropped
/// that way starts afresh, which only happens while more distinct keys arrive than the capacity holds —
/// a flood cannot grow memory, and an idle key loses nothing it needed (its TAT is in the past).
public final class RateLimiter: Sendable {
    private let shards: [Shard]
    private let clock: any MonotonicClock

    /// - Parameters:
    ///   - capacity: the most keys remembered at once, across shards.
    ///   - shardCount: independent locks; a power of two is not required.
    public init(capacity: Int, shardCount: Int = 16, clock: any MonotonicClock) {
        let count = max(1, shardCount)
        let perShard = max(1, capacity / count)
        shards = (0..<count).map { _ in Shard(capacity: perShard) }
        self.clock = clock
    }

    /// Decides one request of `key` under `policy`; callers scope keys by policy (`"plan:gold|key:abc"`).
    public func acquire(key: String, policy: RateLimitPolicy) -> RateLimitDecision {
        let now = clock.now()
        var hasher = Hasher()
        hasher.combine(key)
        let shard = shards[Int(UInt(bitPattern: hasher.finalize()) % UInt(shards.count))]
        return shard.state.withLock { state in
            let (decision, tat) = GCRA.decide(tat: state.tat(of: key), now: now, policy: policy)
            if decision.isAllowed, let tat {
                state.store(key: key, tat: tat)
            }
            return decision
        }
    }

    /// The number of keys currently remembered.
    public var keyCount: Int {
        shards.reduce(0) { sum, shard in sum + shard.state.withLock { $0.count } }
    }
}

private final class Shard: Sendable {
    let state: Mutex<KeyRing>

    init(capacity: Int) {
        state = Mutex(KeyRing(capacity: capacity))
    }
}

/// The keys of one shard: their TATs, and the ring that decides which key gives way to a new one.
private struct KeyRing {
    private var entries: [String: (tat: NIODeadline, slot: Int)] = [:]
    private var ring: [String?]
    private var next = 0

    init(capacity: Int) {
        ring = Array(repeating: nil, count: capacity)
        entries.reserveCapacity(capacity)
    }

    var count: Int { entries.count }

    func tat(of key: String) -> NIODeadline? {
        entries[key]?.tat
    }

    mutating func store(key: String, tat: NIODeadline) {
        if let entry = entries[key] {
            entries[key] = (tat, entry.slot)
            return
        }
        if let evicted = ring[next] {
            entries.removeValue(forKey: evicted)
        }
        ring[next] = key
        entries[key] = (tat, next)
        next = (next + 1) % ring.count
    }
}
