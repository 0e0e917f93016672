/// A route's response cache (`cache:` on a route): how long an answer is served from memory, and how long
/// after that it may still be served while the backend is being asked again or is failing.
public struct CacheRule: Sendable, Hashable {
    /// How long an answer is fresh.
    public var ttl: Duration
    /// After `ttl`, how long a stale answer is served (`X-Cache: STALE`) while one request refreshes it.
    public var staleWhileRevalidate: Duration
    /// After `ttl`, how long a stale answer is served when the backend fails.
    public var staleIfError: Duration
    /// Whether callers on an authenticated route share answers; by default each principal has its own.
    public var shared: Bool

    /// A rule; only `ttl` is required.
    public init(ttl: Duration, staleWhileRevalidate: Duration = .zero, staleIfError: Duration = .zero, shared: Bool = false) {
        self.ttl = ttl
        self.staleWhileRevalidate = staleWhileRevalidate
        self.staleIfError = staleIfError
        self.shared = shared
    }
}

/// A route's `cache:`: a rule, or `off`.
public enum CacheSetting: Sendable, Hashable {
    case off
    case rule(CacheRule)
}
