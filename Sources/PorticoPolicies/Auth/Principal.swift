/// Who a request is from, once its credential was verified.
public struct Principal: Sendable {
    /// How the caller authenticated.
    public enum Kind: String, Sendable, Hashable {
        case jwt
        case apiKey = "api_key"
        /// A client certificate verified by the HTTPS listener.
        case certificate
    }

    public var kind: Kind
    /// The token's `sub`, or the API key's client id.
    public var subject: String
    /// The token's `client_id` (or `azp`), or the API key's client id.
    public var clientID: String?
    /// The API key's plan, or the token's `plan` claim.
    public var plan: String?
    public var scopes: Set<String>
    public var roles: Set<String>
    /// The metadata the `auth.forward` map produces for this caller, to send to the backend.
    public var metadata: [(name: String, value: String)]

    public init(
        kind: Kind,
        subject: String,
        clientID: String? = nil,
        plan: String? = nil,
        scopes: Set<String> = [],
        roles: Set<String> = [],
        metadata: [(name: String, value: String)] = []
    ) {
        self.kind = kind
        self.subject = subject
        self.clientID = clientID
        self.plan = plan
        self.scopes = scopes
        self.roles = roles
        self.metadata = metadata
    }
}
