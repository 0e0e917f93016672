import Logging
import NIOCore
import PorticoCore
import Synchronization

/// The public keys tokens are verified with: those of the JWKS file, and those last fetched from the JWKS URL.
///
/// Reading the keys takes a lock and copies a reference, so the request path never waits. Fetches happen
/// at start, every `refresh`, and when a token names an unknown `kid` — the last at most once per
/// `minimumRefetch`, so tokens with made-up kids cannot turn the gateway against the identity provider.
/// Requests that arrive while a fetch is under way wait for that same fetch. A failed fetch keeps the
/// keys there were.
final class JWKSCache: Sendable {
    private struct State {
        var keys: JWKSKeySet
        var lastFetch: NIODeadline?
        var inFlight: EventLoopFuture<Void>?
    }

    private let fileKeys: JWKSKeySet
    private let fetcher: JWKSFetcher?
    private let clock: any MonotonicClock
    private let minimumRefetch: TimeAmount
    private let logger: Logger
    private let state: Mutex<State>

    init(fileKeys: JWKSKeySet, fetcher: JWKSFetcher?, minimumRefetch: TimeAmount, clock: any MonotonicClock, logger: Logger) {
        self.fileKeys = fileKeys
        self.fetcher = fetcher
        self.minimumRefetch = minimumRefetch
        self.clock = clock
        self.logger = logger
        state = Mutex(State(keys: fileKeys))
    }

    /// The keys known now.
    var keys: JWKSKeySet {
        state.withLock { $0.keys }
    }

    /// Whether keys come from a URL, so an unknown `kid` may be worth a refetch.
    var canFetch: Bool {
        fetcher != nil
    }

    /// Fetches the URL now, or joins the fetch under way (start and periodic refresh).
    func refresh(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        start(on: eventLoop, rateLimited: false) ?? eventLoop.makeSucceededVoidFuture()
    }

    /// Fetches the URL for a token with an unknown `kid`: joins the fetch under way, or starts one unless
    /// the last began less than `minimumRefetch` ago (then `nil`).
    func refetchForUnknownKey(on eventLoop: any EventLoop) -> EventLoopFuture<Void>? {
        start(on: eventLoop, rateLimited: true)
    }

    private func start(on eventLoop: any EventLoop, rateLimited: Bool) -> EventLoopFuture<Void>? {
        guard let fetcher else { return nil }
        let now = clock.now()
        let decision: (future: EventLoopFuture<Void>?, started: EventLoopPromise<Void>?) = state.withLock { state in
            if let inFlight = state.inFlight { return (inFlight, nil) }
            if rateLimited, let last = state.lastFetch, now - last < minimumRefetch { return (nil, nil) }
            let promise = eventLoop.makePromise(of: Void.self)
            state.lastFetch = now
            state.inFlight = promise.futureResult
            return (promise.futureResult, promise)
        }
        guard let promise = decision.started else { return decision.future }
        fetcher.fetch().whenComplete { result in
            self.finish(result, url: fetcher.url.description)
            promise.succeed()
        }
        return promise.futureResult
    }

    private func finish(_ result: Result<[UInt8], any Error>, url: String) {
        var keySet: JWKSKeySet?
        switch result {
        case .success(let bytes):
            do {
                keySet = try JWKSKeySet(json: bytes)
            } catch {
                logger.warning("JWKS from \(url) is not usable, keeping the previous keys: \(error.message)")
            }
        case .failure(let error):
            logger.warning("JWKS fetch from \(url) failed, keeping the previous keys: \(error)")
        }
        if let keySet, keySet.skipped > 0 {
            logger.info("JWKS from \(url): \(keySet.skipped) keys skipped (not RSA, EC P-256/P-384 or Ed25519 signing keys)")
        }
        state.withLock { state in
            if let keySet {
                state.keys = fileKeys.merged(with: keySet)
            }
            state.inFlight = nil
        }
    }
}
