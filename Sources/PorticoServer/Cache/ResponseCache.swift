import NIOCore
import PorticoConfig
import Synchronization

/// The answers of cached routes, in memory, bounded in bytes with least-recently-used eviction, and the
/// backend calls in flight for them, so concurrent misses for one key make one call (``join(_:on:)``).
///
/// One per snapshot: a reload starts empty. Every operation takes one lock; none waits on I/O.
final class ResponseCache: Sendable {
    /// What identifies an answer: the route, the API version, the caller when answers are per principal, and
    /// the request message the path, query and body made (a canonical form of all three).
    struct Key: Hashable, Sendable {
        let route: Int
        let version: Int
        let principal: String?
        let message: ByteBuffer
    }

    /// A stored answer.
    struct Entry: Sendable {
        let body: ByteBuffer
        let contentType: String
        /// The backend's allow-listed metadata as response headers.
        let headers: [(String, String)]
        let storedAt: NIODeadline
        let rule: CacheRule
        /// A strong validator of the body (`"…"`).
        let etag: String
        /// Whether every caller gets this answer (`Cache-Control: public`), or only one principal.
        let isShared: Bool

        /// Seconds since the answer was stored.
        func age(at now: NIODeadline) -> Int64 { max(0, (now - storedAt).nanoseconds / 1_000_000_000) }
    }

    /// What a lookup found.
    enum Lookup {
        /// Within its TTL.
        case fresh(Entry)
        /// Past its TTL, within `stale_while_revalidate`.
        case stale(Entry)
        /// Nothing to serve now; `stale` is an answer still within `stale_if_error`, for a failing backend.
        case miss(stale: Entry?)
    }

    let maxBytes: Int
    private let state: Mutex<State>

    init(maxBytes: Int) {
        self.maxBytes = maxBytes
        state = Mutex(State())
    }

    /// The entry for `key` as of `now`; an entry past every stale window is dropped.
    func lookup(_ key: Key, now: NIODeadline) -> Lookup {
        state.withLock { state in
            guard let node = state.nodes[key] else { return .miss(stale: nil) }
            let entry = node.entry
            let age = now - entry.storedAt
            let ttl = TimeAmount(entry.rule.ttl)
            if age < ttl {
                state.touch(node)
                return .fresh(entry)
            }
            if age < ttl + TimeAmount(entry.rule.staleWhileRevalidate) {
                state.touch(node)
                return .stale(entry)
            }
            if age < ttl + TimeAmount(entry.rule.staleIfError) { return .miss(stale: entry) }
            state.remove(node)
            return .miss(stale: nil)
        }
    }

    /// Joins the call in flight for `key`: its completion, on `eventLoop`; or `nil` when there is none, and the
    /// caller now leads one (and must call ``endFlight(_:)`` when its answer is written).
    func join(_ key: Key, on eventLoop: any EventLoop) -> EventLoopFuture<Void>? {
        state.withLock { state in
            if let flight = state.flights[key] { return flight.futureResult.hop(to: eventLoop) }
            state.flights[key] = eventLoop.makePromise(of: Void.self)
            return nil
        }
    }

    /// Ends the flight for `key`, letting the requests that joined it look again.
    func endFlight(_ key: Key) {
        state.withLock { $0.flights.removeValue(forKey: key) }?.succeed()
    }

    /// Stores an answer, evicting the least recently used ones beyond ``maxBytes``; an answer larger than a
    /// quarter of the bound is not stored.
    func store(_ entry: Entry, for key: Key) {
        let size = Self.size(of: entry, key: key)
        guard size <= maxBytes / 4 else { return }
        state.withLock { state in
            if let old = state.nodes[key] { state.remove(old) }
            state.insert(Node(key: key, entry: entry, size: size))
            while state.bytes > maxBytes, let oldest = state.oldest { state.remove(oldest) }
        }
    }

    /// Drops every answer; returns how many there were.
    func purge() -> Int {
        state.withLock { state in
            let count = state.nodes.count
            state = State(flights: state.flights)
            return count
        }
    }

    /// The answers held and their bytes.
    var usage: (entries: Int, bytes: Int) {
        state.withLock { ($0.nodes.count, $0.bytes) }
    }

    private static func size(of entry: Entry, key: Key) -> Int {
        entry.body.readableBytes + key.message.readableBytes + (key.principal?.utf8.count ?? 0) + entry.contentType.utf8.count
            + entry.headers.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count } + 256
    }

    /// One stored answer in the recency list.
    private final class Node {
        let key: Key
        let entry: Entry
        let size: Int
        var newer: Node?
        var older: Node?

        init(key: Key, entry: Entry, size: Int) {
            self.key = key
            self.entry = entry
            self.size = size
        }
    }

    /// The entries by key, a doubly linked list from the newest use to the oldest, and the flights.
    private struct State {
        var nodes: [Key: Node] = [:]
        var newest: Node?
        var oldest: Node?
        var bytes = 0
        var flights: [Key: EventLoopPromise<Void>] = [:]

        init(flights: [Key: EventLoopPromise<Void>] = [:]) {
            self.flights = flights
        }

        mutating func insert(_ node: Node) {
            nodes[node.key] = node
            bytes += node.size
            link(node)
        }

        mutating func remove(_ node: Node) {
            unlink(node)
            nodes.removeValue(forKey: node.key)
            bytes -= node.size
        }

        mutating func touch(_ node: Node) {
            guard newest !== node else { return }
            unlink(node)
            link(node)
        }

        private mutating func link(_ node: Node) {
            node.older = newest
            node.newer = nil
            newest?.newer = node
            newest = node
            if oldest == nil { oldest = node }
        }

        private mutating func unlink(_ node: Node) {
            if let newer = node.newer { newer.older = node.older } else { newest = node.older }
            if let older = node.older { older.newer = node.newer } else { oldest = node.newer }
            node.newer = nil
            node.older = nil
        }
    }
}
