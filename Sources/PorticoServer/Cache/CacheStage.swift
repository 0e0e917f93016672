import Foundation
import NIOCore
import NIOHTTP1
import PorticoConfig
import PorticoCore
import PorticoPolicies
import PorticoRouting

/// Serves a cached route's answer from memory when it can: fresh (`X-Cache: HIT`), or stale within
/// `stale_while_revalidate` while another request refreshes it (`STALE`); an `If-None-Match` naming its ETag
/// gets 304. Otherwise the request goes to the backend (`MISS`) as the key's one call in flight, and requests
/// that miss while it runs wait for it and look again. Runs after request transcoding: the request message is
/// part of the key.
struct CacheStage: RequestStage {
    let eventName = "portico.cache"

    func process(_ context: RequestContext) -> StageOutcome {
        guard let matched = context.matched, let rule = matched.route.value.cache, let version = context.exchange.version else {
            return .proceed
        }
        let cache = context.gateway.cache
        let perPrincipal = matched.route.value.auth.mode != .none && !rule.shared
        let principal = context.principal.map { "\($0.kind):\($0.subject)" }
        let key = ResponseCache.Key(route: matched.routeIndex, version: version.index, principal: perPrincipal ? principal : nil, message: context.message)
        let now = context.gateway.clock.now()
        let metrics = context.exchange.metrics
        switch cache.lookup(key, now: now) {
        case .fresh(let entry):
            metrics?.recordCache(.hit)
            return Self.reply(entry, status: "HIT", now: now, request: context.request.headers)
        case .stale(let entry):
            guard cache.join(key, on: context.eventLoop) == nil else {
                metrics?.recordCache(.stale)
                return Self.reply(entry, status: "STALE", now: now, request: context.request.headers)
            }
            return lead(context, key: key, rule: rule, stale: entry)
        case .miss(let stale):
            if let flight = cache.join(key, on: context.eventLoop) {
                guard !context.hasWaitedForCache else { return .proceed }
                context.hasWaitedForCache = true
                return .retry(after: flight)
            }
            return lead(context, key: key, rule: rule, stale: stale)
        }
    }

    /// The request leads the backend call for `key` (``ResponseCache/join(_:on:)`` registered it); its answer
    /// is stored and the flight ended by ``GatewayPipeline``'s response side.
    private func lead(_ context: RequestContext, key: ResponseCache.Key, rule: CacheRule, stale: ResponseCache.Entry?) -> StageOutcome {
        context.exchange.metrics?.recordCache(.miss)
        context.exchange.cacheFlight = CacheFlight(
            cache: context.gateway.cache, key: key, rule: rule, stale: stale, isShared: key.principal == nil,
            ifNoneMatch: context.request.headers["if-none-match"]
        )
        return .proceed
    }

    /// A stored answer as this request's reply, or 304 when `If-None-Match` names its ETag.
    static func reply(_ entry: ResponseCache.Entry, status: String, now: NIODeadline, request: HTTPHeaders) -> StageOutcome {
        let remaining = max(0, entry.rule.ttl.components.seconds - entry.age(at: now))
        var headers = entry.headers
        headers += CacheHeaders.validators(
            status: status, etag: entry.etag, maxAge: remaining, isShared: entry.isShared, age: entry.age(at: now)
        )
        if CacheHeaders.matches(request, etag: entry.etag) { return .reply(.notModified, headers: headers) }
        return .reply(.ok, headers: headers, body: entry.body, contentType: entry.contentType)
    }
}

/// A request that leads the backend call for a cache key.
struct CacheFlight: Sendable {
    let cache: ResponseCache
    let key: ResponseCache.Key
    let rule: CacheRule
    /// An older answer still within `stale_if_error`, served if the backend fails.
    let stale: ResponseCache.Entry?
    /// Whether the answer is the same for every caller (`Cache-Control: public`).
    let isShared: Bool
    /// The request's `If-None-Match` values, for a 304 when the new answer's ETag is among them.
    let ifNoneMatch: [String]
}

/// The headers of cached and cacheable answers.
enum CacheHeaders {
    /// `X-Cache`, `ETag`, `Cache-Control` and, for a stored answer, `Age`.
    static func validators(status: String, etag: String, maxAge: Int64, isShared: Bool, age: Int64?) -> [(String, String)] {
        var headers = [
            ("x-cache", status), ("etag", etag), ("cache-control", "\(isShared ? "public" : "private"), max-age=\(maxAge)"),
        ]
        if let age { headers.append(("age", String(age))) }
        return headers
    }

    /// Whether `If-None-Match` names `etag` (or is `*`), comparing weakly as RFC 9110 §13.1.2 asks.
    static func matches(_ request: HTTPHeaders, etag: String) -> Bool {
        matches(request["if-none-match"], etag: etag)
    }

    /// Whether one of the `If-None-Match` values names `etag` (or is `*`).
    static func matches(_ values: [String], etag: String) -> Bool {
        for value in values {
            for candidate in value.split(separator: ",") {
                var tag = candidate.trimmingCharacters(in: .whitespaces)
                if tag == "*" { return true }
                if tag.hasPrefix("W/") { tag.removeFirst(2) }
                if tag == etag { return true }
            }
        }
        return false
    }

    /// A strong ETag for `body`: its 64-bit FNV-1a hash.
    static func etag(of body: ByteBuffer) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        body.withUnsafeReadableBytes { bytes in
            for byte in bytes {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
        }
        let hex = String(hash, radix: 16)
        return "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\""
    }
}
