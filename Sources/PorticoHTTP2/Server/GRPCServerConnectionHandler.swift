import NIOCore
import PorticoCore

/// The server end of one HTTP/2 connection: reads gRPC requests, runs the registered handlers, writes
/// their responses. It owns the ``NGHTTP2Session``; confined to the channel's event loop.
final class GRPCServerConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// One request stream being read or answered.
    private final class Stream {
        var fields: [HTTP2HeaderField]
        var reader: GRPCMessageReader
        /// The request messages read so far.
        var messages: [ByteBuffer] = []
        var headersSent = false
        var rejected = false

        init(fields: [HTTP2HeaderField], maximumMessageSize: Int) {
            self.fields = fields
            reader = GRPCMessageReader(maximumMessageSize: maximumMessageSize)
        }
    }

    private let services: GRPCServiceRegistry
    private let configuration: GRPCServerConfiguration
    private var driver: HTTP2ConnectionDriver?
    private var session: NGHTTP2Session? { driver?.session }
    private var context: ChannelHandlerContext?
    private var streams: [Int32: Stream] = [:]
    private var acceptedStreams = 0
    /// Whether the session is over and the connection is draining what the client still sends.
    private var isFinishing = false

    init(services: GRPCServiceRegistry, configuration: GRPCServerConfiguration) {
        self.services = services
        self.configuration = configuration
    }

    // MARK: ChannelHandler

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        do {
            let session = try NGHTTP2Session(
                role: .server,
                settings: NGHTTP2Session.Settings(
                    maxConcurrentStreams: configuration.maximumConcurrentStreams,
                    initialStreamWindowSize: Int32(clamping: max(configuration.maximumReceiveMessageSize + 5, 1 << 20)),
                    connectionWindowSize: Int32(clamping: 64 << 20),
                    automaticWindowUpdates: true
                ),
                allocator: context.channel.allocator
            )
            driver = HTTP2ConnectionDriver(session: session)
        } catch {
            context.close(promise: nil)
        }
        if context.channel.isActive { flush() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        streams.removeAll()
        driver = nil
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        flush()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        streams.removeAll()
        driver?.channelClosed()
        driver = nil
        self.context = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let driver, !isFinishing else { return }
        _ = driver.receive(unwrapInboundIn(data))
        flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    // MARK: Events

    private func flush() {
        guard let driver, let context else { return }
        switch driver.drive(context: context, handle: handle) {
        case .running: break
        case .finished: finish(context: context)
        case .failed: context.close(promise: nil)
        }
    }

    /// Ends a connection whose session is over (after a GOAWAY, its last streams answered): stops sending,
    /// then reads and drops what the client still sends until it closes, or ``GRPCServerConfiguration/lingerTimeout``
    /// has passed. Closing at once would reset the connection while the client's next frames are unread, and
    /// the reset can destroy the GOAWAY before the client reads it: it would then not know which of its calls
    /// were never processed and could be sent again.
    private func finish(context: ChannelHandlerContext) {
        guard !isFinishing else { return }
        isFinishing = true
        context.close(mode: .output, promise: nil)
        context.eventLoop.assumeIsolated().scheduleTask(in: configuration.lingerTimeout) {
            context.close(promise: nil)
        }
    }

    private func handle(_ event: NGHTTP2Session.Event) {
        switch event {
        case .headers(let streamID, .request, let fields):
            acceptedStreams += 1
            streams[streamID] = Stream(fields: fields, maximumMessageSize: configuration.maximumReceiveMessageSize)
            if let limit = configuration.goAwayAfterStreams, acceptedStreams >= limit {
                driver?.goAway()
            }
        case .headers:
            break
        case .oversizedHeaders(let streamID, _):
            session?.resetStream(streamID: streamID, errorCode: NGHTTP2Session.ErrorCode.refusedStream)
        case .data(let streamID, let bytes):
            guard let stream = streams[streamID], !stream.rejected, let allocator = context?.channel.allocator else { return }
            stream.reader.append(bytes)
            do throws(GRPCStatus) {
                while let message = try stream.reader.next(allocator: allocator) {
                    guard stream.messages.count < Self.maximumRequestMessages else {
                        throw GRPCStatus(code: .resourceExhausted, message: "more than \(Self.maximumRequestMessages) request messages")
                    }
                    stream.messages.append(message.bytes)
                }
            } catch {
                stream.rejected = true
                finish(streamID: streamID, status: error, trailers: GRPCMetadata())
            }
        case .endOfStream(let streamID):
            guard let stream = streams[streamID], !stream.rejected else { return }
            dispatch(stream, streamID: streamID)
        case .streamClosed(let streamID, _):
            streams[streamID] = nil
        case .goAway, .remoteSettings, .pingAcknowledged, .peerMisbehaved:
            break
        }
    }

    private func dispatch(_ stream: Stream, streamID: Int32) {
        guard let loop = context?.eventLoop else { return }
        var path = ""
        var contentType = ""
        var timeout: String?
        for field in stream.fields {
            switch field.name {
            case ":path": path = field.value
            case "content-type": contentType = field.value
            case "grpc-timeout": timeout = field.value
            case "grpc-encoding": stream.reader.encoding = GRPCMessageReader.Encoding(headerValue: field.value)
            default: break
            }
        }
        guard contentType.hasPrefix("application/grpc") else {
            try? session?.submitResponse(streamID: streamID, headers: [HTTP2HeaderField(name: ":status", value: "415")], endStream: true)
            return
        }
        guard let method = services.methods[path] else {
            finish(streamID: streamID, status: GRPCStatus(code: .unimplemented, message: "method \(path) not found"), trailers: GRPCMetadata())
            return
        }
        guard method.takesMessageStream || stream.messages.count == 1 else {
            let problem = stream.messages.isEmpty ? "request without a message" : "more than one request message on a unary or server-streaming method"
            finish(streamID: streamID, status: GRPCStatus(code: .unimplemented, message: problem), trailers: GRPCMetadata())
            return
        }
        let request = GRPCServerRequest(
            path: path,
            metadata: GRPCMetadata(wireFields: stream.fields),
            messages: stream.messages,
            deadline: timeout.flatMap(GRPCTimeout.decode).map { .now() + $0 },
            eventLoop: loop
        )
        switch method {
        case .unary(let handler), .clientStreaming(let handler):
            handler(request).hop(to: loop).assumeIsolated().whenComplete { [weak self] result in
                switch result {
                case .success(let response):
                    self?.sendStreamMessage(response.message, streamID: streamID, headers: response.headers)
                    self?.finish(streamID: streamID, status: .ok, trailers: response.trailers)
                case .failure(let error):
                    self?.finish(failure: error, streamID: streamID)
                }
            }
        case .serverStreaming(let handler), .bidirectionalStreaming(let handler):
            let writer = GRPCServerStreamWriter(handler: self, streamID: streamID, eventLoop: loop)
            handler(request, writer).hop(to: loop).assumeIsolated().whenComplete { [weak self] result in
                switch result {
                case .success(let trailers): self?.finish(streamID: streamID, status: .ok, trailers: trailers)
                case .failure(let error): self?.finish(failure: error, streamID: streamID)
                }
            }
        }
    }

    /// The most request messages one call may carry.
    private static let maximumRequestMessages = 1_000_000

    // MARK: Responding

    /// Sends one message on a stream, with the response headers first if they are not out yet.
    func sendStreamMessage(_ message: ByteBuffer, streamID: Int32, headers: GRPCMetadata = GRPCMetadata()) {
        guard let stream = streams[streamID], let session, let context else { return }
        guard message.readableBytes <= configuration.maximumSendMessageSize else {
            finish(streamID: streamID, status: GRPCStatus(code: .resourceExhausted, message: "response message too large"), trailers: GRPCMetadata())
            return
        }
        if !stream.headersSent {
            stream.headersSent = true
            let fields = [
                HTTP2HeaderField(name: ":status", value: "200"),
                HTTP2HeaderField(name: "content-type", value: "application/grpc"),
            ] + headers.wireFields
            try? session.submitResponse(streamID: streamID, headers: fields, endStream: false)
        }
        session.sendData(streamID: streamID, bytes: GRPCMessageFraming.frame(message, allocator: context.channel.allocator))
        flush()
    }

    private func finish(failure: any Error, streamID: Int32) {
        switch failure {
        case let error as GRPCServerError: finish(streamID: streamID, status: error.status, trailers: error.trailers)
        case let status as GRPCStatus: finish(streamID: streamID, status: status, trailers: GRPCMetadata())
        default: finish(streamID: streamID, status: GRPCStatus(code: .unknown, message: "unknown error"), trailers: GRPCMetadata())
        }
    }

    /// Ends a stream with a status: in trailers after the body, or trailers-only when nothing was sent.
    private func finish(streamID: Int32, status: GRPCStatus, trailers: GRPCMetadata) {
        guard let stream = streams[streamID], let session else { return }
        var statusFields = [HTTP2HeaderField(name: "grpc-status", value: String(status.code.rawValue))]
        if !status.message.isEmpty {
            statusFields.append(HTTP2HeaderField(name: "grpc-message", value: GRPCPercentEncoding.encode(status.message)))
        }
        if let details = status.details {
            statusFields.append(HTTP2HeaderField(name: "grpc-status-details-bin", value: Base64.encode(details)))
        }
        statusFields += trailers.wireFields
        if stream.headersSent {
            session.sendTrailers(streamID: streamID, trailers: statusFields)
        } else {
            stream.headersSent = true
            let head = [
                HTTP2HeaderField(name: ":status", value: "200"),
                HTTP2HeaderField(name: "content-type", value: "application/grpc"),
            ]
            try? session.submitResponse(streamID: streamID, headers: head + statusFields, endStream: true)
        }
        flush()
    }
}
