/// Why a request was refused by authentication (401) or authorization (403), ready to answer.
///
/// The message is safe to send to the client: it names what is wrong, never a key, a secret or the
/// token itself. `wwwAuthenticate` is the RFC 6750 challenge (RFC 9110 §11.6.1).
public struct AuthFailure: Error, Sendable, Hashable {
    /// 401 when the credential is missing or invalid, 403 when it lacks a scope or role.
    public var status: Int
    /// The `WWW-Authenticate` header value.
    public var wwwAuthenticate: String
    /// A client-safe description.
    public var message: String
    /// Why, in a word fit for a metric label.
    public var reason: Reason

    /// Why a request was refused.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// No credential of an accepted kind was sent.
        case missingCredentials = "missing_credentials"
        /// A bearer token that is malformed, badly signed, expired or not for this gateway.
        case invalidToken = "invalid_token"
        /// An API key that is not known.
        case invalidAPIKey = "invalid_api_key"
        /// A valid credential without the scopes or roles the route needs.
        case insufficientScope = "insufficient_scope"
    }

    /// A refusal with its status, challenge, client-safe message and reason.
    public init(status: Int, wwwAuthenticate: String, message: String, reason: Reason) {
        self.status = status
        self.wwwAuthenticate = wwwAuthenticate
        self.message = message
        self.reason = reason
    }

    /// The realm every challenge names.
    static let realm = "portico"

    /// No credential of an accepted kind was sent: a challenge without an error attribute (RFC 6750 §3.1).
    static func missingCredentials(_ challenges: [AuthChallenge]) -> AuthFailure {
        AuthFailure(
            status: 401,
            wwwAuthenticate: challenges.map { $0.header(error: nil) }.joined(separator: ", "),
            message: "authentication required",
            reason: .missingCredentials
        )
    }

    /// A bearer token that is malformed, badly signed, expired or not for this gateway.
    static func invalidToken(_ description: String) -> AuthFailure {
        AuthFailure(
            status: 401,
            wwwAuthenticate: AuthChallenge.bearer.header(error: ("invalid_token", description)),
            message: "invalid token: \(description)",
            reason: .invalidToken
        )
    }

    /// An API key that is not known.
    static func invalidAPIKey(header: String?) -> AuthFailure {
        AuthFailure(
            status: 401,
            wwwAuthenticate: AuthChallenge.apiKey(header: header).header(error: ("invalid_key", "the API key is not valid")),
            message: "invalid API key",
            reason: .invalidAPIKey
        )
    }

    /// A valid credential without the scopes or roles the route needs (RFC 6750 §3.1 `insufficient_scope`).
    static func insufficientScope(scopes: [String], roles: [String], kind: Principal.Kind) -> AuthFailure {
        var attributes = "error=\"insufficient_scope\""
        if !scopes.isEmpty {
            attributes += ", scope=\"\(scopes.joined(separator: " "))\""
        }
        let challenge: AuthChallenge = kind == .jwt ? .bearer : .apiKey(header: nil)
        let message = roles.isEmpty
            ? "the credential lacks a required scope"
            : "the credential lacks a required scope or role"
        return AuthFailure(status: 403, wwwAuthenticate: "\(challenge.scheme) realm=\"\(realm)\", \(attributes)", message: message, reason: .insufficientScope)
    }
}

/// One `WWW-Authenticate` challenge: `Bearer` for JWTs, `APIKey` (naming where the key goes) for API keys.
enum AuthChallenge: Sendable {
    case bearer
    case apiKey(header: String?)

    var scheme: String {
        switch self {
        case .bearer: "Bearer"
        case .apiKey: "APIKey"
        }
    }

    func header(error: (code: String, description: String)?) -> String {
        var value = "\(scheme) realm=\"\(AuthFailure.realm)\""
        if case .apiKey(let header?) = self {
            value += ", header=\"\(header)\""
        }
        if let error {
            value += ", error=\"\(error.code)\", error_description=\"\(error.description)\""
        }
        return value
    }
}
