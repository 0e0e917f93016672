/// What a compiled HttpRule route calls, and how the request and response map to HTTP.
///
/// Field names here are proto names, whatever form (proto or JSON name) the rule used.
public struct RouteTarget: Sendable, Hashable {
    /// Where the request message comes from besides the path and the query.
    public enum Body: Sendable, Hashable {
        /// No body: every field not bound by the path comes from the query string.
        case none
        /// `body: "*"`: every field not bound by the path comes from the body; no query parameters.
        case wholeMessage
        /// `body: "field"`: the body is this top-level field of the request message.
        case field(String)
    }

    /// The fully qualified method name (`demo.orders.v1.OrderService.GetOrder`).
    public var selector: String
    /// The gRPC `:path` (`/demo.orders.v1.OrderService/GetOrder`).
    public var grpcPath: String
    /// The request message's full name.
    public var inputType: String
    /// The response message's full name.
    public var outputType: String
    /// Whether the client streams requests (the body is then a JSON array of messages).
    public var clientStreaming: Bool
    /// Whether the server streams responses.
    public var serverStreaming: Bool

    /// Whether either side streams.
    public var isStreaming: Bool { clientStreaming || serverStreaming }
    /// Where the request body goes.
    public var body: Body
    /// The top-level response field sent as the body; `nil` for the whole response message.
    public var responseBody: String?

    /// Creates a target.
    public init(
        selector: String,
        grpcPath: String,
        inputType: String,
        outputType: String,
        clientStreaming: Bool = false,
        serverStreaming: Bool = false,
        body: Body = .none,
        responseBody: String? = nil
    ) {
        self.selector = selector
        self.grpcPath = grpcPath
        self.inputType = inputType
        self.outputType = outputType
        self.clientStreaming = clientStreaming
        self.serverStreaming = serverStreaming
        self.body = body
        self.responseBody = responseBody
    }
}
