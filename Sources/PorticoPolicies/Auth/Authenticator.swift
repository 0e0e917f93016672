public import Logging
public import NIOCore
public import NIOHTTP1
public import PorticoConfig
public import PorticoCore

/// The authentication stage: verifies a request's JWT or API key against `auth:` and the route's
/// ``AuthRequirement``, and yields the caller's ``Principal``.
///
/// Everything is decided synchronously on the request's event loop from keys held in memory; the only
/// wait is a JWKS refetch when a token names a `kid` not yet known (rate-limited, shared by concurrent
/// requests). Failures follow RFC 6750: 401 with a `Bearer` challenge when the credential is missing
/// (no error attribute) or invalid (`error="invalid_token"`), 403 `insufficient_scope` when it is valid
/// but lacks a scope or role. API-key routes answer with an `APIKey realm="portico", header="x-api-key"`
/// challenge.
public final class Authenticator: Sendable {
    private let settings: AuthSettings
    private let verifier: JWTVerifier?
    private let jwks: JWKSCache?
    private let verifiedTokens = VerifiedTokenCache(capacity: 4096)
    private let apiKeys: APIKeyStore?
    private let extractor: CredentialExtractor
    private let wallClock: @Sendable () -> Double
    private let initialFetch: EventLoopFuture<Void>?
    /// How often the JWKS URL is fetched again (``refreshKeys()``); `nil` without a URL.
    public let keyRefreshPeriod: TimeAmount?
    private let eventLoopGroup: any EventLoopGroup

    /// Reads the key files and, with a JWKS URL, starts the first fetch. The periodic refresh is
    /// ``refreshKeys()`` every ``keyRefreshPeriod``, which the gateway's `JWKSRefreshService` runs.
    ///
    /// - Parameters:
    ///   - files: where the files `auth:` names are read from (the mappings folder).
    ///   - wallClock: the current time in Unix seconds, for `exp`, `nbf` and `iat`.
    ///   - clock: monotonic time, for the JWKS refetch rate limit.
    /// - Throws: ``ConfigError`` for an unreadable file, a bad JWKS or keys file, or a secret too short
    ///   for an accepted algorithm; each at the line of the key that names it.
    public init(
        settings: AuthSettings,
        files: AuthKeyFiles,
        eventLoopGroup: any EventLoopGroup,
        wallClock: @escaping @Sendable () -> Double,
        clock: any MonotonicClock = SystemMonotonicClock(),
        logger: Logger = Logger(label: "portico.auth")
    ) throws(ConfigError) {
        let material = AuthKeyMaterial(settings: settings, files: files)
        guard material.diagnostics.isEmpty else { throw ConfigError(diagnostics: material.diagnostics) }
        self.settings = settings
        self.wallClock = wallClock
        self.eventLoopGroup = eventLoopGroup
        apiKeys = settings.apiKeys.map { _ in APIKeyStore(entries: material.apiKeys) }
        extractor = CredentialExtractor(
            token: settings.jwt.map { CredentialExtractor.TokenSource(header: $0.token.header, cookie: $0.token.cookie, query: $0.token.query) },
            apiKeyHeader: settings.apiKeys?.header,
            apiKeyQuery: settings.apiKeys?.query
        )
        guard let jwt = settings.jwt else {
            verifier = nil
            jwks = nil
            initialFetch = nil
            keyRefreshPeriod = nil
            return
        }
        verifier = JWTVerifier(
            issuers: Set(jwt.issuers),
            audiences: Set(jwt.audiences),
            leeway: Double(jwt.leeway.components.seconds) + Double(jwt.leeway.components.attoseconds) / 1e18,
            accepted: material.acceptedAlgorithms,
            hmacKey: material.hmacKey
        )
        let fetcher = try jwt.jwksURL.map { url throws(ConfigError) in
            try Self.fetcher(url: url, timeout: jwt.jwksTimeout, group: eventLoopGroup)
        }
        let cache = JWKSCache(
            fileKeys: material.fileKeys,
            fetcher: fetcher,
            minimumRefetch: TimeAmount(jwt.jwksMinRefetch),
            clock: clock,
            logger: logger
        )
        jwks = cache
        if fetcher != nil {
            initialFetch = cache.refresh(on: eventLoopGroup.next())
            keyRefreshPeriod = TimeAmount(jwt.jwksRefresh)
        } else {
            initialFetch = nil
            keyRefreshPeriod = nil
        }
    }

    /// Reads and checks the key files `settings` names without starting anything (for `portico check`).
    ///
    /// - Throws: ``ConfigError`` with the same problems the initializer would report.
    public static func checkKeyFiles(settings: AuthSettings, files: AuthKeyFiles) throws(ConfigError) {
        var diagnostics = AuthKeyMaterial(settings: settings, files: files).diagnostics
        if let url = settings.jwt?.jwksURL, JWKSLocation(url.value) == nil {
            diagnostics.append(url.location.diagnostic("jwks_url is not a valid http:// or https:// URL"))
        }
        guard diagnostics.isEmpty else { throw ConfigError(diagnostics: diagnostics) }
    }

    /// Authenticates a request for a route that requires `requirement`.
    ///
    /// - Parameters:
    ///   - query: the request target's query string, without `?`.
    /// - Returns: a future on `eventLoop`, already completed unless a JWKS refetch is needed; its value
    ///   is `nil` when `requirement.mode` is `.none`. It fails only with ``AuthFailure``.
    public func authenticate(
        headers: HTTPHeaders,
        query: Substring?,
        requirement: AuthRequirement,
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<Principal?> {
        let result: Result<Principal, AuthFailure>
        switch requirement.mode {
        case .none:
            return eventLoop.makeSucceededFuture(nil)
        case .jwt:
            guard let token = extractor.bearerToken(headers: headers, query: query) else {
                return eventLoop.makeFailedFuture(AuthFailure.missingCredentials([.bearer]))
            }
            return authenticate(token: token, requirement: requirement, on: eventLoop)
        case .apiKey:
            guard let key = extractor.apiKey(headers: headers, query: query) else {
                return eventLoop.makeFailedFuture(AuthFailure.missingCredentials([apiKeyChallenge]))
            }
            result = authenticate(apiKey: key)
        case .any:
            if let token = extractor.bearerToken(headers: headers, query: query) {
                return authenticate(token: token, requirement: requirement, on: eventLoop)
            }
            guard let key = extractor.apiKey(headers: headers, query: query) else {
                let challenges: [AuthChallenge] = (verifier == nil ? [] : [.bearer]) + (apiKeys == nil ? [] : [apiKeyChallenge])
                return eventLoop.makeFailedFuture(AuthFailure.missingCredentials(challenges.isEmpty ? [.bearer] : challenges))
            }
            result = authenticate(apiKey: key)
        case .mtls:
            return eventLoop.makeFailedFuture(AuthFailure.invalidToken("client certificates are checked by the listener, not by tokens"))
        }
        return eventLoop.completed(result.flatMap { authorize($0, for: requirement) })
    }

    /// Every metadata name the forward map can produce; the pipeline strips client copies of these.
    public var forwardedHeaderNames: Set<String> {
        settings.forwardedHeaderNames
    }

    /// Whether routes may ask for `mode`: its credential kind is configured.
    public func supports(_ mode: AuthMode) -> Bool {
        settings.missingSection(for: mode) == nil
    }

    /// Completes when the first fetch of the JWKS URL ended, whether it succeeded or not (at once without a URL).
    public var keysReady: EventLoopFuture<Void> {
        initialFetch ?? eventLoopGroup.any().makeSucceededVoidFuture()
    }

    /// Fetches the JWKS URL again (at once without one); the keys in use stay when the fetch fails.
    public func refreshKeys() -> EventLoopFuture<Void> {
        guard keyRefreshPeriod != nil, let jwks else { return eventLoopGroup.any().makeSucceededVoidFuture() }
        return jwks.refresh(on: eventLoopGroup.next())
    }

    private static func fetcher(url: Located<String>, timeout: Duration, group: any EventLoopGroup) throws(ConfigError) -> JWKSFetcher {
        guard let location = JWKSLocation(url.value) else {
            throw ConfigError(diagnostics: [url.location.diagnostic("jwks_url is not a valid http:// or https:// URL")])
        }
        do {
            return try JWKSFetcher(url: location, group: group, timeout: TimeAmount(timeout))
        } catch {
            throw ConfigError(diagnostics: [url.location.diagnostic("cannot set up TLS for jwks_url: \(error)")])
        }
    }

    private var apiKeyChallenge: AuthChallenge {
        .apiKey(header: settings.apiKeys?.header)
    }

    private func authenticate(apiKey: Substring) -> Result<Principal, AuthFailure> {
        guard let entry = apiKeys?.entry(forKey: apiKey) else {
            return .failure(.invalidAPIKey(header: settings.apiKeys?.header))
        }
        return .success(Principal(apiKey: entry, forward: settings.forward))
    }

    private func authenticate(token: Substring, requirement: AuthRequirement, on eventLoop: any EventLoop) -> EventLoopFuture<Principal?> {
        guard let verifier, let jwks else {
            return eventLoop.makeFailedFuture(AuthFailure.invalidToken("bearer tokens are not accepted"))
        }
        let now = wallClock()
        if let principal = verifiedTokens.principal(for: token, now: now) {
            return eventLoop.completed(authorize(principal, for: requirement))
        }
        switch verifier.verify(token: token, keys: jwks.keys, now: now) {
        case .verified(let claims):
            return complete(token: token, claims: claims, requirement: requirement, on: eventLoop)
        case .failed(let failure):
            return eventLoop.makeFailedFuture(failure)
        case .unknownKey:
            let refetch = jwks.refetchForUnknownKey(on: eventLoop) ?? eventLoop.makeSucceededVoidFuture()
            let token = String(token)
            return refetch.hop(to: eventLoop).flatMap { [self] in
                switch verifier.verify(token: token[...], keys: jwks.keys, now: wallClock()) {
                case .verified(let claims): complete(token: token[...], claims: claims, requirement: requirement, on: eventLoop)
                case .failed(let failure): eventLoop.makeFailedFuture(failure)
                case .unknownKey: eventLoop.makeFailedFuture(AuthFailure.unknownKey)
                }
            }
        }
    }

    private func complete(token: Substring, claims: TokenClaims, requirement: AuthRequirement, on eventLoop: any EventLoop) -> EventLoopFuture<Principal?> {
        let principal = Principal(claims: claims, forward: settings.forward)
        if let expiration = claims.expiresAt, let verifier {
            verifiedTokens.store(token, principal: principal, expiry: expiration + verifier.leeway)
        }
        return eventLoop.completed(authorize(principal, for: requirement))
    }

    private func authorize(_ principal: Principal, for requirement: AuthRequirement) -> Result<Principal, AuthFailure> {
        guard principal.satisfies(requirement) else {
            return .failure(.insufficientScope(scopes: requirement.scopes, roles: requirement.roles, kind: principal.kind))
        }
        return .success(principal)
    }
}

extension AuthFailure {
    /// A token whose `kid` no key has, even after a JWKS refetch (or when a refetch was not allowed yet).
    static let unknownKey = AuthFailure.invalidToken("no key matches the token's kid")
}

extension EventLoop {
    /// A future already completed with `result`.
    fileprivate func completed(_ result: Result<Principal, AuthFailure>) -> EventLoopFuture<Principal?> {
        switch result {
        case .success(let principal): makeSucceededFuture(principal)
        case .failure(let failure): makeFailedFuture(failure)
        }
    }
}

extension TimeAmount {
    /// The same span as a `Duration`, to the nanosecond.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
