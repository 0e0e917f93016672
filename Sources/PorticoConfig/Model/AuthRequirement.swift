/// How a route's callers must authenticate: `auth: none | jwt | api_key | any | mtls` in a route's options.
public enum AuthMode: String, Sendable, Hashable, CaseIterable {
    /// Anyone may call; a credential, if sent, is not checked.
    case none
    /// A valid JWT bearer token.
    case jwt
    /// A known API key.
    case apiKey = "api_key"
    /// Either a valid JWT or a known API key.
    case any
    /// A client certificate the HTTPS listener verified against `tls.client_ca`.
    case mtls
}

/// What a route asks of its caller: how to authenticate, and which scopes and roles it must hold.
public struct AuthRequirement: Sendable, Hashable {
    public var mode: AuthMode
    /// Scopes the caller must hold, all of them (`orders:write`).
    public var scopes: [String]
    /// Roles of which the caller must hold at least one; empty means no role is needed.
    public var roles: [String]

    public init(mode: AuthMode = .none, scopes: [String] = [], roles: [String] = []) {
        self.mode = mode
        self.scopes = scopes
        self.roles = roles
    }

    /// No authentication.
    public static let none = AuthRequirement()
}
