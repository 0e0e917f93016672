/// Cross-origin resource sharing for browser clients (the Fetch standard's CORS protocol): the origins that
/// may call, and what a preflight allows them (`cors:` in gateway.yaml, or on a route).
public struct CORSPolicy: Sendable, Hashable {
    /// Who may call.
    public var allowOrigins: [OriginPattern]
    /// The methods a preflight allows; empty for the methods the path's routes have.
    public var allowMethods: [String]
    /// The request headers a preflight allows (lowercase).
    public var allowHeaders: [String]
    /// The response headers a script may read beyond the CORS-safelisted ones (lowercase).
    public var exposeHeaders: [String]
    /// Whether requests may carry cookies or HTTP authentication (`Access-Control-Allow-Credentials`).
    public var allowCredentials: Bool
    /// How long a browser may cache a preflight's answer.
    public var maxAge: Duration?

    /// The request headers allowed when `allow_headers` is not given: the ones the gateway itself reads.
    public static let defaultAllowHeaders = ["authorization", "content-type", "x-api-key", "x-api-version", "x-request-id"]

    /// A policy; origins must be given, the rest has defaults.
    public init(
        allowOrigins: [OriginPattern],
        allowMethods: [String] = [],
        allowHeaders: [String] = CORSPolicy.defaultAllowHeaders,
        exposeHeaders: [String] = [],
        allowCredentials: Bool = false,
        maxAge: Duration? = nil
    ) {
        self.allowOrigins = allowOrigins
        self.allowMethods = allowMethods
        self.allowHeaders = allowHeaders
        self.exposeHeaders = exposeHeaders
        self.allowCredentials = allowCredentials
        self.maxAge = maxAge
    }

    /// Whether `origin` (an `Origin` header's value) may call.
    public func allows(origin: String) -> Bool {
        allowOrigins.contains { $0.matches(origin) }
    }
}

/// A route's `cors:`: its own policy, or `off`.
public enum CORSSetting: Sendable, Hashable {
    case off
    case policy(CORSPolicy)
}

/// One allowed origin: exact (`https://app.example.com`, `http://localhost:3000`), every subdomain of a host
/// (`https://*.example.com`, which does not match `https://example.com` itself), or `*` for any origin.
public struct OriginPattern: Sendable, Hashable {
    private let scheme: String
    /// The host, or the domain whose subdomains match when ``isSubdomainWildcard``.
    private let host: String
    private let port: String
    private let isSubdomainWildcard: Bool
    /// Whether the pattern is `*`.
    public let isAny: Bool

    /// Reads a pattern; `nil` for anything but `*` or `scheme://host[:port]` (with at most a leading `*.`).
    public init?(parsing text: String) {
        if text == "*" {
            (scheme, host, port, isSubdomainWildcard, isAny) = ("", "", "", false, true)
            return
        }
        guard let origin = Self.split(text.lowercased()) else { return nil }
        isAny = false
        scheme = origin.scheme
        port = origin.port
        if origin.host.hasPrefix("*.") {
            host = String(origin.host.dropFirst(2))
            isSubdomainWildcard = true
        } else {
            host = origin.host
            isSubdomainWildcard = false
        }
        guard !host.isEmpty, !host.contains("*") else { return nil }
    }

    /// Whether an `Origin` header's value matches.
    public func matches(_ origin: String) -> Bool {
        if isAny { return true }
        guard let candidate = Self.split(origin.lowercased()), candidate.scheme == scheme, candidate.port == port else { return false }
        if isSubdomainWildcard { return candidate.host.hasSuffix("." + host) && candidate.host.count > host.count + 1 }
        return candidate.host == host
    }

    /// `scheme://host[:port]`, nothing more (no path, user or query), as an `Origin` is serialized.
    private static func split(_ text: String) -> (scheme: String, host: String, port: String)? {
        let scheme: String
        if text.hasPrefix("http://") {
            scheme = "http"
        } else if text.hasPrefix("https://") {
            scheme = "https"
        } else {
            return nil
        }
        let authority = text.dropFirst(scheme.count + 3)
        guard !authority.isEmpty, !authority.contains(where: { "/?#@ ".contains($0) }) else { return nil }
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            let host = String(authority[...close])
            let rest = authority[authority.index(after: close)...]
            guard rest.isEmpty || (rest.hasPrefix(":") && rest.dropFirst().allSatisfy(\.isNumber) && rest.count > 1) else { return nil }
            return (scheme, host, String(rest.dropFirst()))
        }
        let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, !parts[0].isEmpty else { return nil }
        if parts.count == 2 { guard !parts[1].isEmpty, parts[1].allSatisfy(\.isNumber) else { return nil } }
        return (scheme, String(parts[0]), parts.count == 2 ? String(parts[1]) : "")
    }
}
