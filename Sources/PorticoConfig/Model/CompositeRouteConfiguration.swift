/// A composite route as written in a mapping file's `composites:` list: one public `GET` route answered from
/// several backend calls, each answer under its part's name in one JSON object.
///
/// Checks that need the schema (methods, field paths and their types) happen when routes are compiled.
public struct CompositeRouteConfiguration: Sendable {
    /// The route's name, unique among composites; it names the route in logs and metrics (`dashboard`).
    public var name: Located<String>
    /// The file it came from, relative to the mappings folder.
    public var file: String
    /// The `get:` path template (`/v1/dashboard/{user_id}`).
    public var path: Located<String>
    /// The whole answer's deadline; parts still running then are cut.
    public var deadline: Duration
    /// How callers authenticate and what they must hold (`auth`, `scopes`, `roles`).
    public var auth: AuthRequirement
    /// The route's own rate limit, or `off`; without one the gateway's `defaults.rate_limit` applies.
    public var rateLimit: RateLimitSetting?
    /// The route's own CORS policy, or `off`, replacing the gateway's.
    public var cors: CORSSetting?
    /// How the parts' answers are written as JSON, over `defaults.json`.
    public var json: JSONOverrides?
    /// The parts, in the order the answer lists them.
    public var parts: [CompositePartConfiguration]
    public var location: SourceLocation

    public init(
        name: Located<String>,
        file: String,
        path: Located<String>,
        deadline: Duration,
        auth: AuthRequirement,
        rateLimit: RateLimitSetting? = nil,
        cors: CORSSetting? = nil,
        json: JSONOverrides? = nil,
        parts: [CompositePartConfiguration],
        location: SourceLocation
    ) {
        self.name = name
        self.file = file
        self.path = path
        self.deadline = deadline
        self.auth = auth
        self.rateLimit = rateLimit
        self.cors = cors
        self.json = json
        self.parts = parts
        self.location = location
    }
}

/// One backend call of a composite route: `user: { call: demo.users.v1.UserService.GetUser, bind: { user_id: path.user_id } }`.
public struct CompositePartConfiguration: Sendable {
    /// The part's name: its key in the answer, and how later parts refer to its answer.
    public var name: Located<String>
    /// The unary method called (`demo.users.v1.UserService.GetUser`).
    public var method: Located<String>
    /// Request fields set from a value source: `user_id: path.user_id`, `user_id: user.user_id`.
    public var bindings: [Binding]
    /// Request fields set to constants: `page_size: 5`.
    public var constants: [Binding]
    /// Whether the whole answer fails when this part fails (`required: true`, the default) or the part comes
    /// back as `null` with an entry in `errors`.
    public var required: Bool
    /// The part's own timeout; its backend's timeout when `nil`, and never past the route's deadline.
    public var timeout: Duration?
    /// The top-level response field answered instead of the whole response message (as `response_body`).
    public var responseField: Located<String>?
    /// Whether a failed call may be sent again (reads, which a composite `GET` makes, by default).
    public var idempotent: Bool
    public var location: SourceLocation

    /// A request field and what it is set from, as written.
    public struct Binding: Sendable {
        /// The request field path in proto names (`filter.user_id`).
        public var field: Located<String>
        /// The source (`path.user_id`, `query.category`, `claims.sub`, `user.user_id`) or the constant.
        public var value: Located<String>

        public init(field: Located<String>, value: Located<String>) {
            self.field = field
            self.value = value
        }
    }

    public init(
        name: Located<String>,
        method: Located<String>,
        bindings: [Binding] = [],
        constants: [Binding] = [],
        required: Bool = true,
        timeout: Duration? = nil,
        responseField: Located<String>? = nil,
        idempotent: Bool = true,
        location: SourceLocation
    ) {
        self.name = name
        self.method = method
        self.bindings = bindings
        self.constants = constants
        self.required = required
        self.timeout = timeout
        self.responseField = responseField
        self.idempotent = idempotent
        self.location = location
    }
}
