import NIOCore
import PorticoCodec
import PorticoCore
import PorticoHTTP2

/// Adapts a typed demo method to the raw bytes of the gRPC server: decode the request with the schema,
/// run the store logic, encode the reply; a ``DemoFailure`` becomes a trailers-only status whose
/// `grpc-status-details-bin` carries a `google.rpc.ErrorInfo`.
struct DemoHandlers: Sendable {
    let codec: MessageCodec
    /// The service's full name (`demo.users.v1.UserService`), for paths and error details.
    let service: String

    func unary(
        _ registry: inout GRPCServiceRegistry,
        _ method: String,
        request requestType: String,
        _ body: @escaping @Sendable (ProtoMessage) throws(DemoFailure) -> ProtoMessage
    ) {
        let codec = codec
        let domain = service
        registry.registerUnary("/\(service)/\(method)") { request in
            Self.answer(request, as: requestType, codec: codec, domain: domain) { messages throws(DemoFailure) in try body(messages[0]) }
        }
    }

    /// Registers a client-streaming method: one reply to all the client's messages.
    func clientStreaming(
        _ registry: inout GRPCServiceRegistry,
        _ method: String,
        request requestType: String,
        _ body: @escaping @Sendable ([ProtoMessage]) throws(DemoFailure) -> ProtoMessage
    ) {
        let codec = codec
        let domain = service
        registry.registerClientStreaming("/\(service)/\(method)") { request in
            Self.answer(request, as: requestType, codec: codec, domain: domain, body)
        }
    }

    /// Decodes a request's messages (the server gives a unary method exactly one), runs `body` on them and
    /// encodes its reply; a failure becomes its status.
    private static func answer(
        _ request: GRPCServerRequest,
        as requestType: String,
        codec: MessageCodec,
        domain: String,
        _ body: ([ProtoMessage]) throws(DemoFailure) -> ProtoMessage
    ) -> EventLoopFuture<GRPCServerResponse> {
        let loop = request.eventLoop
        do {
            let messages = try request.messages.map { try codec.decode($0, as: requestType) }
            var reply = ByteBuffer()
            try codec.encode(try run(body, messages, codec: codec, domain: domain), into: &reply)
            return loop.makeSucceededFuture(GRPCServerResponse(message: reply))
        } catch {
            return loop.makeFailedFuture(asServerError(error))
        }
    }

    /// Registers a bidirectional method that answers each of the client's messages with one reply, in order.
    func bidirectionalStreaming(
        _ registry: inout GRPCServiceRegistry,
        _ method: String,
        request requestType: String,
        _ body: @escaping @Sendable (ProtoMessage) throws(DemoFailure) -> ProtoMessage
    ) {
        let codec = codec
        let domain = service
        registry.registerBidirectionalStreaming("/\(service)/\(method)") { request, writer in
            let loop = request.eventLoop
            do {
                for message in request.messages {
                    var reply = ByteBuffer()
                    try codec.encode(try Self.run(body, try codec.decode(message, as: requestType), codec: codec, domain: domain), into: &reply)
                    writer.send(reply)
                }
                return loop.makeSucceededFuture(GRPCMetadata())
            } catch {
                return loop.makeFailedFuture(Self.asServerError(error))
            }
        }
    }

    /// Registers a server-streaming method whose replies are sent `spacing` apart (the first at once), as a
    /// watch reports changes over time.
    func serverStreaming(
        _ registry: inout GRPCServiceRegistry,
        _ method: String,
        request requestType: String,
        spacing: TimeAmount = .zero,
        _ body: @escaping @Sendable (ProtoMessage) throws(DemoFailure) -> [ProtoMessage]
    ) {
        let codec = codec
        let domain = service
        registry.registerServerStreaming("/\(service)/\(method)") { request, writer in
            let loop = request.eventLoop
            do {
                let message = try codec.decode(request.message, as: requestType)
                var frames: [ByteBuffer] = []
                for reply in try Self.run(body, message, codec: codec, domain: domain) {
                    var buffer = ByteBuffer()
                    try codec.encode(reply, into: &buffer)
                    frames.append(buffer)
                }
                return Self.send(frames[...], writer: writer, spacing: spacing, on: loop)
            } catch {
                return loop.makeFailedFuture(Self.asServerError(error))
            }
        }
    }

    /// Sends `frames` one by one, `spacing` apart; completes with the trailers after the last.
    private static func send(
        _ frames: ArraySlice<ByteBuffer>, writer: GRPCServerStreamWriter, spacing: TimeAmount, on loop: any EventLoop
    ) -> EventLoopFuture<GRPCMetadata> {
        guard let first = frames.first else { return loop.makeSucceededFuture(GRPCMetadata()) }
        writer.send(first)
        let rest = frames.dropFirst()
        guard !rest.isEmpty else { return loop.makeSucceededFuture(GRPCMetadata()) }
        return loop.scheduleTask(in: spacing) {}.futureResult.flatMap { send(rest, writer: writer, spacing: spacing, on: loop) }
    }

    private static func run<Request, Reply>(
        _ body: (Request) throws(DemoFailure) -> Reply,
        _ message: Request,
        codec: MessageCodec,
        domain: String
    ) throws(GRPCServerError) -> Reply {
        do {
            return try body(message)
        } catch {
            throw Self.serverError(error, codec: codec, domain: domain)
        }
    }

    /// A store refusal as it is, anything else (a request that does not decode) as `INVALID_ARGUMENT`.
    private static func asServerError(_ error: any Error) -> GRPCServerError {
        error as? GRPCServerError
            ?? GRPCServerError(status: GRPCStatus(code: .invalidArgument, message: "the request is not a valid message: \(error)"))
    }

    static func serverError(_ failure: DemoFailure, codec: MessageCodec, domain: String) -> GRPCServerError {
        let info = ProtoMessage("google.rpc.ErrorInfo", [
            "reason": .string(failure.code.name),
            "domain": .string(domain),
        ])
        let status = ProtoMessage("google.rpc.Status", [
            "code": .int32(Int32(failure.code.rawValue)),
            "message": .string(failure.message),
            "details": .list([.message(ProtoMessage("google.protobuf.Any", [
                "type_url": .string("type.googleapis.com/google.rpc.ErrorInfo"),
                "value": .bytes((try? codec.encode(info)) ?? []),
            ]))]),
        ])
        let details = try? codec.encode(status)
        return GRPCServerError(status: GRPCStatus(code: failure.code, message: failure.message, details: details))
    }
}
