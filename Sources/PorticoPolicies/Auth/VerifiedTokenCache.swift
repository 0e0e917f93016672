import Synchronization

/// Tokens already verified, with the principal each yields, kept until they expire.
///
/// Parsing and verifying a token costs 100–400 µs (see docs/performance.md); clients send the same token
/// with request after request, so a hit skips all of it. The cache holds at most `capacity` tokens in a
/// ring: a new token takes the oldest one's slot, so a flood of distinct tokens cannot grow memory. A
/// token stays valid here until its `exp` (plus leeway), even if its key leaves the JWKS meanwhile —
/// the same trade Envoy's `jwt_cache_config` makes.
final class VerifiedTokenCache: Sendable {
    private struct Entry {
        var principal: Principal
        /// The instant (Unix seconds, leeway included) from which the token is expired.
        var expiry: Double
        var slot: Int
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var ring: [String?]
        var next = 0
    }

    private let state: Mutex<State>

    init(capacity: Int) {
        state = Mutex(State(ring: Array(repeating: nil, count: max(1, capacity))))
    }

    /// The principal of `token` if it was verified and has not expired at `now`.
    func principal(for token: Substring, now: Double) -> Principal? {
        let key = String(token)
        return state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            guard now < entry.expiry else {
                state.entries.removeValue(forKey: key)
                state.ring[entry.slot] = nil
                return nil
            }
            return entry.principal
        }
    }

    /// Remembers a verified token until `expiry`.
    func store(_ token: Substring, principal: Principal, expiry: Double) {
        let key = String(token)
        state.withLock { state in
            if let existing = state.entries[key] {
                state.entries[key] = Entry(principal: principal, expiry: expiry, slot: existing.slot)
                return
            }
            let slot = state.next
            if let evicted = state.ring[slot] {
                state.entries.removeValue(forKey: evicted)
            }
            state.ring[slot] = key
            state.entries[key] = Entry(principal: principal, expiry: expiry, slot: slot)
            state.next = (slot + 1) % state.ring.count
        }
    }

    /// The number of tokens remembered.
    var count: Int {
        state.withLock { $0.entries.count }
    }
}
