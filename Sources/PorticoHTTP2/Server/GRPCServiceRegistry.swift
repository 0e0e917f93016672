import NIOCore

/// A request as a server handler sees it.
public struct GRPCServerRequest: Sendable {
    /// `/package.Service/Method`.
    public var path: String
    /// Custom metadata from the request headers.
    public var metadata: GRPCMetadata
    /// The request messages (decompressed), in order: exactly one for a unary or server-streaming method.
    public var messages: [ByteBuffer]
    /// From `grpc-timeout`, when the client sent one.
    public var deadline: NIODeadline?
    /// The connection's event loop: handlers complete their futures here.
    public var eventLoop: any EventLoop

    /// The request message of a unary or server-streaming method (the first, empty when there is none).
    public var message: ByteBuffer { messages.first ?? ByteBuffer() }
}

/// A unary handler's answer.
public struct GRPCServerResponse: Sendable {
    /// The response message bytes.
    public var message: ByteBuffer
    /// Response header metadata.
    public var headers: GRPCMetadata
    /// Trailer metadata.
    public var trailers: GRPCMetadata

    /// A response message with optional header and trailer metadata.
    public init(message: ByteBuffer, headers: GRPCMetadata = GRPCMetadata(), trailers: GRPCMetadata = GRPCMetadata()) {
        self.message = message
        self.headers = headers
        self.trailers = trailers
    }
}

/// A handler's failure: the status to send (trailers-only when nothing was sent yet) and its trailers.
///
/// Handlers may also fail with a bare ``GRPCStatus``; any other error is sent as `UNKNOWN`.
public struct GRPCServerError: Error, Sendable {
    /// The status to send.
    public var status: GRPCStatus
    /// Trailer metadata sent with it.
    public var trailers: GRPCMetadata

    /// A failure with a status and optional trailer metadata.
    public init(status: GRPCStatus, trailers: GRPCMetadata = GRPCMetadata()) {
        self.status = status
        self.trailers = trailers
    }
}

/// The handlers of a ``GRPCServer`` by method path. Not a general gRPC framework: methods over opaque message
/// bytes, for the demo backends and tests. A client-streaming or bidirectional method's handler runs once
/// the client has sent all its messages (``GRPCServerRequest/messages``).
public struct GRPCServiceRegistry: Sendable {
    /// Answers one request with one message.
    public typealias UnaryHandler = @Sendable (GRPCServerRequest) -> EventLoopFuture<GRPCServerResponse>
    /// Sends any number of messages through the writer; the future's value is the trailer metadata.
    public typealias ServerStreamingHandler = @Sendable (GRPCServerRequest, GRPCServerStreamWriter) -> EventLoopFuture<GRPCMetadata>

    enum Method: Sendable {
        case unary(UnaryHandler)
        case serverStreaming(ServerStreamingHandler)
        case clientStreaming(UnaryHandler)
        case bidirectionalStreaming(ServerStreamingHandler)

        /// Whether the client sends any number of messages.
        var takesMessageStream: Bool {
            switch self {
            case .unary, .serverStreaming: false
            case .clientStreaming, .bidirectionalStreaming: true
            }
        }
    }

    private(set) var methods: [String: Method] = [:]

    /// An empty registry.
    public init() {}

    /// Registers a unary method at `path` (`/package.Service/Method`), replacing an earlier one.
    public mutating func registerUnary(_ path: String, handler: @escaping UnaryHandler) {
        methods[path] = .unary(handler)
    }

    /// Registers a server-streaming method at `path`, replacing an earlier one.
    public mutating func registerServerStreaming(_ path: String, handler: @escaping ServerStreamingHandler) {
        methods[path] = .serverStreaming(handler)
    }

    /// Registers a client-streaming method at `path`: one answer to all the client's messages.
    public mutating func registerClientStreaming(_ path: String, handler: @escaping UnaryHandler) {
        methods[path] = .clientStreaming(handler)
    }

    /// Registers a bidirectional-streaming method at `path`: any number of answers to the client's messages.
    public mutating func registerBidirectionalStreaming(_ path: String, handler: @escaping ServerStreamingHandler) {
        methods[path] = .bidirectionalStreaming(handler)
    }
}
