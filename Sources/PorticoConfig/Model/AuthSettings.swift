/// The `auth:` section of `gateway.yaml`: how JWTs and API keys are checked, and which of their claims
/// reach backends as metadata.
///
/// Without the section nothing is configured, and any route that asks for authentication cannot be served
/// (the route compiler reports it).
public struct AuthSettings: Sendable, Hashable {
    /// JWT bearer tokens, when configured.
    public var jwt: JWTSettings?
    /// API keys, when configured.
    public var apiKeys: APIKeySettings?
    /// Claims (or API-key attributes) sent to the backend as metadata, in file order.
    public var forward: [ClaimForwarding]

    public init(jwt: JWTSettings? = nil, apiKeys: APIKeySettings? = nil, forward: [ClaimForwarding] = []) {
        self.jwt = jwt
        self.apiKeys = apiKeys
        self.forward = forward
    }

    /// Whether any credential kind is configured.
    public var isConfigured: Bool {
        jwt != nil || apiKeys != nil
    }

    /// Every metadata name ``forward`` fills from a verified credential; client copies of these are stripped.
    public var forwardedHeaderNames: Set<String> {
        Set(forward.map(\.header))
    }

    /// The section a route asking for `mode` needs and these settings lack (`auth.jwt`), or `nil`.
    public func missingSection(for mode: AuthMode) -> String? {
        switch mode {
        case .none: nil
        case .jwt: jwt == nil ? "auth.jwt" : nil
        case .apiKey: apiKeys == nil ? "auth.api_keys" : nil
        case .any: isConfigured ? nil : "auth.jwt or auth.api_keys"
        case .mtls: nil
        }
    }
}

/// One entry of `auth.forward`: a claim and the lower-case metadata name its value travels under.
public struct ClaimForwarding: Sendable, Hashable {
    /// The claim (`sub`, `scope`, `client_id`, or any other top-level claim).
    public var claim: String
    /// The metadata (header) name, lower case.
    public var header: String

    public init(claim: String, header: String) {
        self.claim = claim
        self.header = header
    }
}

/// How JWT bearer tokens are verified (`auth.jwt`).
public struct JWTSettings: Sendable, Hashable {
    /// Accepted `iss` values; the token's `iss` must be one of them.
    public var issuers: [String]
    /// Accepted audiences; the token's `aud` must contain one of them. Empty: `aud` is not checked.
    public var audiences: [String]
    /// Clock skew tolerated on `exp`, `nbf` and `iat`.
    public var leeway: Duration
    /// The HMAC secret for HS256/384/512, inline (usually `${ENV_VAR}`) or from a file.
    public var secret: Located<HMACSecretSource>?
    /// A JWKS file, relative to the mappings folder.
    public var jwksFile: Located<String>?
    /// A JWKS URL (`http` or `https`), fetched at start and refreshed.
    public var jwksURL: Located<String>?
    /// How often the JWKS URL is fetched again.
    public var jwksRefresh: Duration
    /// The least time between two fetches caused by tokens naming an unknown `kid`.
    public var jwksMinRefetch: Duration
    /// How long one fetch of the JWKS URL may take, connection attempts included.
    public var jwksTimeout: Duration
    /// The algorithms accepted; empty means every algorithm the configured keys support.
    public var algorithms: [JWTAlgorithmName]
    /// Where a token is looked for.
    public var token: TokenLocations
    /// Whether the client's `Authorization` header is forwarded to the backend.
    public var forwardAuthorization: Bool

    public init(
        issuers: [String],
        audiences: [String] = [],
        leeway: Duration = .seconds(60),
        secret: Located<HMACSecretSource>? = nil,
        jwksFile: Located<String>? = nil,
        jwksURL: Located<String>? = nil,
        jwksRefresh: Duration = .seconds(600),
        jwksMinRefetch: Duration = .seconds(30),
        jwksTimeout: Duration = .seconds(5),
        algorithms: [JWTAlgorithmName] = [],
        token: TokenLocations = TokenLocations(),
        forwardAuthorization: Bool = false
    ) {
        self.issuers = issuers
        self.audiences = audiences
        self.leeway = leeway
        self.secret = secret
        self.jwksFile = jwksFile
        self.jwksURL = jwksURL
        self.jwksRefresh = jwksRefresh
        self.jwksMinRefetch = jwksMinRefetch
        self.jwksTimeout = jwksTimeout
        self.algorithms = algorithms
        self.token = token
        self.forwardAuthorization = forwardAuthorization
    }
}

/// Where a JWT is looked for, in this order: the header, then the cookie, then the query parameter.
public struct TokenLocations: Sendable, Hashable {
    /// A lower-case header name; `authorization` expects the `Bearer` scheme, any other header may carry
    /// the bare token or `Bearer <token>`.
    public var header: String
    /// A cookie name, when tokens may come in a cookie.
    public var cookie: String?
    /// A query parameter name, when tokens may come in the query string.
    public var query: String?

    public init(header: String = "authorization", cookie: String? = nil, query: String? = nil) {
        self.header = header
        self.cookie = cookie
        self.query = query
    }
}

/// Where the HMAC secret comes from. Its text is never printed: `description` is redacted.
public enum HMACSecretSource: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret's bytes, as written in the file (after `${VAR}` expansion).
    case inline([UInt8])
    /// A file, relative to the mappings folder, whose bytes (less trailing line breaks) are the secret.
    case file(String)

    public var description: String {
        switch self {
        case .inline: "<redacted secret>"
        case .file(let path): "secret file \(path)"
        }
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: []) }
}

/// The JWS algorithms Portico verifies (RFC 7518 §3.1, RFC 8037 for EdDSA with Ed25519).
public enum JWTAlgorithmName: String, Sendable, Hashable, CaseIterable {
    case hs256 = "HS256", hs384 = "HS384", hs512 = "HS512"
    case rs256 = "RS256", rs384 = "RS384", rs512 = "RS512"
    case ps256 = "PS256", ps384 = "PS384", ps512 = "PS512"
    case es256 = "ES256", es384 = "ES384"
    case eddsa = "EdDSA"

    /// Whether the algorithm is an HMAC, verified with the shared secret rather than a public key.
    public var isHMAC: Bool {
        self == .hs256 || self == .hs384 || self == .hs512
    }

    /// The shortest secret RFC 7518 §3.2 allows for an HMAC algorithm: the hash's output size.
    public var minimumSecretBytes: Int {
        switch self {
        case .hs384: 48
        case .hs512: 64
        default: 32
        }
    }
}

/// How API keys are checked (`auth.api_keys`).
public struct APIKeySettings: Sendable, Hashable {
    /// The keys file, relative to the mappings folder.
    public var file: Located<String>
    /// The lower-case header that carries the key, when keys may come in a header.
    public var header: String?
    /// The query parameter that carries the key, when keys may come in the query string.
    public var query: String?

    public init(file: Located<String>, header: String? = "x-api-key", query: String? = nil) {
        self.file = file
        self.header = header
        self.query = query
    }
}

/// One entry of the API-keys file: a client, the SHA-256 of its key, and what it may do.
public struct APIKeyEntry: Sendable, Hashable {
    /// The client id.
    public var id: String
    /// The SHA-256 digest of the key (32 bytes).
    public var sha256: [UInt8]
    /// The rate-limit plan, when one is named.
    public var plan: String?
    public var scopes: [String]
    public var roles: [String]

    public init(id: String, sha256: [UInt8], plan: String? = nil, scopes: [String] = [], roles: [String] = []) {
        self.id = id
        self.sha256 = sha256
        self.plan = plan
        self.scopes = scopes
        self.roles = roles
    }
}
