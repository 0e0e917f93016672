import NIOCore
public import PorticoCore
import Synchronization

/// Rate limits keyed by principal, API key or client address, exact across event loops, in bounded memory.
///
/// Keys are spread over shards, each behind its own lock, so event loops rarely wait for one another; a
/// key always lands in the same shard, so its count is exact. A key is remembered by its 64-bit hash under
/// the process's random seed (collisions cannot be aimed at), which keeps a key's state at about 40 bytes.
/// Each shard holds at most `capacity / shards` keys in a ring, grown as keys arrive: a new key takes the
/// slot of the next key whose state has expired (its schedule is in the past, so forgetting it changes
/// nothing), looking a few slots ahead, and only when all of those are still active does it take the oldest
/// one's. A flood of distinct keys therefore cannot grow memory past the capacity.
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
        let hash = UInt64(UInt(bitPattern: hasher.finalize()))
        let shard = shards[Int(hash % UInt64(shards.count))]
        return shard.state.withLock { state in
            let (decision, tat) = GCRA.decide(tat: state.tat(of: hash), now: now, policy: policy)
            if decision.isAllowed, let tat {
                state.store(key: hash, tat: tat, now: now)
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
    /// Slots looked at for an expired key before the oldest active one gives way.
    private static let probes = 8
    private var entries: [UInt64: (tat: NIODeadline, slot: Int)] = [:]
    private var ring: [UInt64] = []
    private let capacity: Int
    private var next = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    var count: Int { entries.count }

    func tat(of key: UInt64) -> NIODeadline? {
        entries[key]?.tat
    }

    mutating func store(key: UInt64, tat: NIODeadline, now: NIODeadline) {
        if let entry = entries[key] {
            entries[key] = (tat, entry.slot)
            return
        }
        if ring.count < capacity {
            entries[key] = (tat, ring.count)
            ring.append(key)
            return
        }
        var slot = next
        for offset in 0..<min(Self.probes, ring.count) {
            let candidate = (next + offset) % ring.count
            if let held = entries[ring[candidate]], held.tat <= now {
                slot = candidate
                break
            }
        }
        entries.removeValue(forKey: ring[slot])
        ring[slot] = key
        entries[key] = (tat, slot)
        next = (slot + 1) % ring.count
    }
}
