/// A `google.api.HttpRule`: how one RPC is exposed as a REST endpoint.
///
/// The same value comes from a method's `(google.api.http)` option and from a `http: rules:` entry of a
/// mapping file; the mapping's rule replaces the annotation of the same selector.
public struct HttpRule: Sendable, Hashable {
    /// The HTTP method and path template of a rule.
    public enum Pattern: Sendable, Hashable {
        case get(String)
        case put(String)
        case post(String)
        case delete(String)
        case patch(String)
        /// A custom verb (`HEAD`, `OPTIONS`, …) with its path template.
        case custom(kind: String, path: String)

        /// The HTTP method this pattern answers.
        public var method: String {
            switch self {
            case .get: "GET"
            case .put: "PUT"
            case .post: "POST"
            case .delete: "DELETE"
            case .patch: "PATCH"
            case .custom(let kind, _): kind
            }
        }

        /// The path template.
        public var path: String {
            switch self {
            case .get(let path), .put(let path), .post(let path), .delete(let path), .patch(let path):
                path
            case .custom(_, let path):
                path
            }
        }
    }

    /// The fully qualified method name the rule applies to; empty in an annotation.
    public var selector: String
    /// `nil` when the rule names no pattern (an error the route compiler reports).
    public var pattern: Pattern?
    /// The request field bound to the body: `""` for none, `"*"` for every field not bound by the path.
    public var body: String
    /// The response field sent as the body; `""` for the whole response.
    public var responseBody: String
    public var additionalBindings: [HttpRule]

    public init(
        selector: String = "",
        pattern: Pattern?,
        body: String = "",
        responseBody: String = "",
        additionalBindings: [HttpRule] = []
    ) {
        self.selector = selector
        self.pattern = pattern
        self.body = body
        self.responseBody = responseBody
        self.additionalBindings = additionalBindings
    }
}
