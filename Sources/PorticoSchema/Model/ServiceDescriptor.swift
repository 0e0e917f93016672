/// A gRPC service of the schema and its methods.
public struct ServiceDescriptor: Sendable, Hashable {
    /// One RPC of a service.
    public struct Method: Sendable, Hashable {
        public var name: String
        /// The fully qualified input message name without a leading dot.
        public var inputType: String
        /// The fully qualified output message name without a leading dot.
        public var outputType: String
        public var clientStreaming: Bool
        public var serverStreaming: Bool
        /// The `google.api.http` option, when the method carries one.
        public var httpRule: HttpRule?
        public var isDeprecated: Bool
        /// The comment above its declaration in the `.proto` source (`nil` from a descriptor set).
        public var documentation: String?

        public init(
            name: String,
            inputType: String,
            outputType: String,
            clientStreaming: Bool = false,
            serverStreaming: Bool = false,
            httpRule: HttpRule? = nil,
            isDeprecated: Bool = false
        ) {
            self.name = name
            self.inputType = inputType
            self.outputType = outputType
            self.clientStreaming = clientStreaming
            self.serverStreaming = serverStreaming
            self.httpRule = httpRule
            self.isDeprecated = isDeprecated
        }
    }

    /// The fully qualified name without a leading dot (`demo.orders.v1.OrderService`).
    public var fullName: String
    public var file: String
    public var methods: [Method]

    public init(fullName: String, file: String, methods: [Method]) {
        self.fullName = fullName
        self.file = file
        self.methods = methods
    }

    /// The HTTP/2 `:path` of a method: `/demo.orders.v1.OrderService/GetOrder`.
    public func path(of method: Method) -> String {
        "/\(fullName)/\(method.name)"
    }
}
