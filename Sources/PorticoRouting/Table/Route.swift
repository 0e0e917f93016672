/// One entry of a ``RouteTable``: an HTTP method and path template, and what the caller attaches to it.
public struct Route<Value: Sendable>: Sendable {
    /// The HTTP method (`GET`, `POST`, a custom kind such as `HEAD`), or `*` for any method. Compared
    /// case-sensitively, as HTTP methods are.
    public var method: String
    /// The compiled path template.
    public var template: PathTemplate
    /// The `body` of the rule: `""` (no body), `"*"` (every field not bound by the path) or a field name.
    public var body: String
    /// The `response_body` of the rule: `""` for the whole response message, or a field name.
    public var responseBody: String
    /// Where the route was declared (`Mappings/orders.yaml:12:7`), used in conflict messages.
    public var origin: String
    /// The caller's data: the RPC to call, an index, anything.
    public var value: Value

    /// Creates a route.
    public init(
        method: String,
        template: PathTemplate,
        body: String = "",
        responseBody: String = "",
        origin: String = "",
        value: Value
    ) {
        self.method = method
        self.template = template
        self.body = body
        self.responseBody = responseBody
        self.origin = origin
        self.value = value
    }

    /// `GET /v1/{name=shelves/*}`, the way messages name a route.
    public var summary: String { "\(method) \(template.text)" }
}
