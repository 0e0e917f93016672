import NIOCore
import NIOHTTP1
import PorticoCore
import PorticoHTTP2

/// Serves one public HTTP/2 connection (h2 over TLS, or h2c with prior knowledge): every request stream
/// goes through the same ``GatewayResponder`` as an HTTP/1.1 request, on the connection's event loop.
///
/// It runs nghttp2's server session (``NGHTTP2Session``, the engine the gRPC peers use) with the public
/// listener's limits:
/// - at most ``ListenerLimits/http2MaxConcurrentStreams`` streams at once and header blocks of at most
///   ``ListenerLimits/maxHeaderBytes`` (431 beyond), both announced in SETTINGS;
/// - bodies of at most ``ListenerLimits/maxBodyBytes`` (413, from `content-length` or while reading), and at
///   most ``ListenerLimits/http2BufferedBodyBytes`` held across the connection's unfinished requests (503);
/// - a body must end within ``ListenerLimits/bodyReadTimeout`` of its headers (408); a connection without
///   streams for ``ListenerLimits/keepAliveTimeout`` is sent GOAWAY and closed;
/// - rapid reset, control-frame floods and CONTINUATION floods end the connection with GOAWAY
///   `ENHANCE_YOUR_CALM` (``HTTP2AbuseLimits``), counted in `portico_http2_abuse_total`;
/// - answers wait in the session while the socket is not writable, and reading stops meanwhile;
/// - a client stream's body (``GatewayResponder/streamsBody(of:)``) goes to the responder as it arrives: the
///   request is dispatched at its headers, and its DATA is given back to the stream's flow-control window only
///   as the responder takes it, so a slow backend holds the client back. Every other body's DATA is given back
///   as it arrives (the window stays open; the limits above bound what is held). An answer that ends before
///   such a body does drops the rest of it, and the stream is reset (`NO_ERROR`, RFC 9113 §8.1) if the client
///   goes on sending past ``ListenerLimits/maxDrainBytes`` or ``ListenerLimits/drainTimeout``.
///
/// Requests are handed to the responder once the read that completed them is over, so a stream opened and
/// reset in one read costs no stage; a stream the client resets while its request is with the responder fires
/// the request's ``RequestCancellation``. On quiesce (shutdown) the connection shuts down in two steps (RFC 9113 §6.8): a
/// GOAWAY naming the largest stream id and a PING, then, once the PING is acknowledged (or after a second), the
/// GOAWAY naming the last stream processed; the streams open finish and the connection closes.
final class PublicHTTP2Handler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// One request stream.
    private final class Stream {
        enum Phase {
            /// Reading the body.
            case receiving
            /// The request is with the responder.
            case responding
            /// A streamed answer's body is being written.
            case streaming(HTTP2BodySink)
            /// Answered before the request ended; what the client still sends is dropped, up to this many bytes.
            case discarding(remaining: Int)
        }

        let fields: [HTTP2HeaderField]
        var body = ByteBuffer()
        var phase = Phase.receiving
        /// The body of a request that goes to the responder as it arrives (``GatewayResponder/streamsBody(of:)``).
        var streamedBody: RequestBodyStream?
        /// ``streamedBody`` while it still arrives, and the bytes received.
        var upload: (body: RequestBodyStream, received: Int)?
        let cancellation = RequestCancellation()
        /// When a body still being read is answered 408, or a discarded one reset; `nil` while responding.
        var deadline: NIODeadline?

        init(fields: [HTTP2HeaderField], deadline: NIODeadline) {
            self.fields = fields
            self.deadline = deadline
        }
    }

    private let responder: any GatewayResponder
    private let limits: ListenerLimits
    private let metrics: GatewayMetrics?
    private var driver: HTTP2ConnectionDriver?
    private var context: ChannelHandlerContext?
    private var streams: [Int32: Stream] = [:]
    /// Streams whose request ended during the current read, handed to the responder when the read is over:
    /// a stream the client resets in the same read (rapid reset) never reaches the stages.
    private var ready: [Int32] = []
    /// Request body bytes held in streams whose request has not ended.
    private var bufferedBodyBytes = 0
    /// Since when the connection has had no stream; `nil` while it has one.
    private var idleSince: NIODeadline?
    /// The connection's one clock, armed for the earliest deadline of its streams and of its idle time.
    private var clock: Scheduled<Void>?
    private var clockDeadline: NIODeadline?
    private var lingerTimer: Scheduled<Void>?
    /// Sends the final GOAWAY of a shutdown when the client does not acknowledge the PING in time.
    private var shutdownTimer: Scheduled<Void>?
    /// How long a shutdown waits for the client's PING acknowledgement before its final GOAWAY.
    private static let shutdownAcknowledgementWait = TimeAmount.seconds(1)
    private var isFinishing = false
    /// Whether reading stopped because the client does not read its answers.
    private var isReadingPaused = false
    private var clientCertificate = ClientCertificateIdentity.Cached()
    private var isFlushScheduled = false
    /// Whether a streamed body's writer waits for its queue to drain.
    private var hasWaitingWriters = false
    /// Cut-off streamed bodies, reset once their queued bytes have gone out.
    private var resetsWhenDrained: Set<Int32> = []

    /// The event loop's clock (virtual on an `EmbeddedEventLoop`), which the timers it schedules follow.
    private var now: NIODeadline { context?.eventLoop.now ?? .now() }

    init(responder: any GatewayResponder, limits: ListenerLimits, metrics: GatewayMetrics?) {
        self.responder = responder
        self.limits = limits
        self.metrics = metrics
    }

    // MARK: ChannelHandler

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        do {
            let session = try NGHTTP2Session(
                role: .server,
                settings: NGHTTP2Session.Settings(
                    maxConcurrentStreams: UInt32(clamping: limits.http2MaxConcurrentStreams),
                    initialStreamWindowSize: Int32(clamping: min(max(limits.maxBodyBytes, 65_535), 1 << 20)),
                    connectionWindowSize: Int32(clamping: max(limits.http2BufferedBodyBytes, 1 << 20)),
                    automaticWindowUpdates: false,
                    maxHeaderListSize: UInt32(clamping: limits.maxHeaderBytes),
                    abuseLimits: HTTP2AbuseLimits()
                ),
                allocator: context.channel.allocator
            )
            driver = HTTP2ConnectionDriver(session: session, holdsOutputWhileUnwritable: true)
        } catch {
            context.close(promise: nil)
            return
        }
        idleSince = now
        scheduleCheck(at: now + limits.keepAliveTimeout)
        if context.channel.isActive { flush() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        tearDown()
    }

    func channelActive(context: ChannelHandlerContext) {
        flush()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        tearDown()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let driver, !isFinishing else { return }
        _ = driver.receive(unwrapInboundIn(data))
        flush()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        dispatchReady()
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            flush()
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, let driver {
            driver.announceShutdown()
            flush()
            shutdownTimer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.shutdownAcknowledgementWait) { [weak self] in
                self?.driver?.goAway()
                self?.flush()
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    // MARK: Driving

    private func flush() {
        guard let driver, let context, !isFinishing else { return }
        var outcome = driver.drive(context: context, handle: handle)
        if outcome == .running, resetDrainedStreams() { outcome = driver.drive(context: context, handle: handle) }
        releaseStreamedWriters()
        if isReadingPaused == context.channel.isWritable {
            isReadingPaused = !context.channel.isWritable
            try? context.channel.syncOptions?.setOption(.autoRead, value: !isReadingPaused)
        }
        if outcome != .running { finish(context: context) }
    }

    /// Ends a connection whose session is over or failed (its GOAWAY written): stops sending, then drops what the client still sends until it
    /// closes, for at most ``ListenerLimits/drainTimeout`` (closing at once could reset the connection before
    /// the client has read the GOAWAY).
    private func finish(context: ChannelHandlerContext) {
        guard !isFinishing else { return }
        isFinishing = true
        clock?.cancel()
        clock = nil
        context.close(mode: .output, promise: nil)
        lingerTimer = context.eventLoop.assumeIsolated().scheduleTask(in: limits.drainTimeout) {
            context.close(promise: nil)
        }
    }

    private func tearDown() {
        for stream in streams.values {
            stream.upload?.body.fail(ChannelError.ioOnClosedChannel)
            switch stream.phase {
            case .responding:
                stream.cancellation.cancel()
            case .streaming(let sink):
                sink.closed()
                stream.cancellation.cancel()
            case .receiving, .discarding:
                break
            }
        }
        streams.removeAll()
        ready.removeAll()
        resetsWhenDrained.removeAll()
        clock?.cancel()
        clock = nil
        lingerTimer?.cancel()
        lingerTimer = nil
        shutdownTimer?.cancel()
        shutdownTimer = nil
        driver?.channelClosed()
        driver = nil
        context = nil
    }

    /// Makes sure the clock fires by `deadline`: one timer per connection, not one per stream, so a stream
    /// costs no timer of its own.
    private func scheduleCheck(at deadline: NIODeadline) {
        if let armed = clockDeadline, armed <= deadline { return }
        guard let context else { return }
        clock?.cancel()
        clockDeadline = deadline
        clock = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in
            self?.clockFired()
        }
    }

    /// Answers 408 to the bodies that are late, resets the discarded streams whose client still sends, sends
    /// an idle connection GOAWAY, and arms the clock for the next deadline.
    private func clockFired() {
        clock = nil
        clockDeadline = nil
        let now = self.now
        var next: NIODeadline?
        for (streamID, stream) in streams {
            guard let deadline = stream.deadline else { continue }
            guard deadline <= now else {
                next = min(next ?? deadline, deadline)
                continue
            }
            switch stream.phase {
            case .receiving:
                metrics?.recordTimeout(.body)
                answerEarly(streamID: streamID, status: .requestTimeout, code: 4, message: "request body not received in time")
                if let deadline = stream.deadline { next = min(next ?? deadline, deadline) }
            case .discarding:
                stream.deadline = nil
                driver?.session.resetStream(streamID: streamID, errorCode: NGHTTP2Session.ErrorCode.noError)
            case .responding, .streaming:
                stream.deadline = nil
            }
        }
        if let idleSince, streams.isEmpty {
            let idleDeadline = idleSince + limits.keepAliveTimeout
            if idleDeadline <= now {
                driver?.goAway()
            } else {
                next = min(next ?? idleDeadline, idleDeadline)
            }
        }
        if let next { scheduleCheck(at: next) }
        flush()
    }

    // MARK: Events

    private func handle(_ event: NGHTTP2Session.Event) {
        switch event {
        case .headers(let streamID, .request, let fields):
            open(streamID: streamID, fields: fields)
        case .headers:
            break
        case .oversizedHeaders(let streamID, _):
            if streams[streamID] == nil { open(streamID: streamID, fields: []) }
            answerEarly(streamID: streamID, status: .requestHeaderFieldsTooLarge, code: 3, message: "request headers too large")
        case .data(let streamID, let bytes):
            receive(bytes, on: streamID)
        case .endOfStream(let streamID):
            guard let stream = streams[streamID] else { return }
            if let upload = stream.upload {
                stream.upload = nil
                upload.body.finish()
                return
            }
            guard case .receiving = stream.phase else { return }
            stream.deadline = nil
            release(stream)
            stream.phase = .responding
            ready.append(streamID)
        case .streamClosed(let streamID, _):
            guard let stream = streams.removeValue(forKey: streamID) else { return }
            stream.upload?.body.fail(ChannelError.inputClosed)
            switch stream.phase {
            case .receiving: release(stream)
            case .responding: stream.cancellation.cancel()
            case .streaming(let sink):
                sink.closed()
                stream.cancellation.cancel()
            case .discarding: break
            }
            if streams.isEmpty {
                let now = self.now
                idleSince = now
                scheduleCheck(at: now + limits.keepAliveTimeout)
            }
        case .peerMisbehaved(let abuse):
            metrics?.recordHTTP2Abuse(abuse)
        case .goAway, .remoteSettings, .pingAcknowledged:
            break
        }
    }

    private func open(streamID: Int32, fields: [HTTP2HeaderField]) {
        idleSince = nil
        let deadline = now + limits.bodyReadTimeout
        streams[streamID] = Stream(fields: fields, deadline: deadline)
        if let length = fields.first(where: { $0.name == "content-length" }).flatMap({ Int($0.value) }), length > limits.maxBodyBytes {
            answerEarly(streamID: streamID, status: .payloadTooLarge, code: 3, message: "request body too large")
            return
        }
        if let head = Self.uploadHead(fields), responder.streamsBody(of: head), let context {
            streamRequest(streamID: streamID, eventLoop: context.eventLoop)
            return
        }
        scheduleCheck(at: deadline)
    }

    /// The head of a request that may stream its body (one with a content type), to ask the responder.
    private static func uploadHead(_ fields: [HTTP2HeaderField]) -> HTTPRequestHead? {
        var method: String?
        var path: String?
        var headers = HTTPHeaders()
        for field in fields {
            switch field.name {
            case ":method": method = field.value
            case ":path": path = field.value
            case "content-type", "content-encoding": headers.add(name: field.name, value: field.value)
            default: break
            }
        }
        guard let method, let path, headers.contains(name: "content-type") else { return nil }
        return HTTPRequestHead(version: .http2, method: HTTPMethod(rawValue: method), uri: path, headers: headers)
    }

    /// Hands a request to the responder at its headers (once the read is over), its body following as it
    /// arrives; each chunk goes back to the flow-control windows once the responder takes it. No body clock
    /// runs: the responder times out a client that stops sending (its stream `idle_timeout`).
    private func streamRequest(streamID: Int32, eventLoop: any EventLoop) {
        guard let stream = streams[streamID] else { return }
        let body = RequestBodyStream(eventLoop: eventLoop)
        body.setOnTaken { [weak self] bytes in
            guard let self, let driver = self.driver else { return }
            driver.session.consume(streamID: streamID, bytes: bytes)
            self.scheduleFlush()
        }
        stream.streamedBody = body
        stream.upload = (body, 0)
        stream.deadline = nil
        stream.phase = .responding
        ready.append(streamID)
    }

    /// Drops the rest of a streamed body whose exchange is over: what waits goes back to the windows, and
    /// what the client still sends is discarded (``Stream/Phase/discarding(remaining:)``).
    private func dropUpload(of stream: Stream) {
        guard let upload = stream.upload else { return }
        stream.upload = nil
        upload.body.fail(ChannelError.inputClosed)
        stream.phase = .discarding(remaining: limits.maxDrainBytes)
        let deadline = now + limits.drainTimeout
        stream.deadline = deadline
        scheduleCheck(at: deadline)
    }

    private func receive(_ bytes: ByteBuffer, on streamID: Int32) {
        guard let stream = streams[streamID] else {
            driver?.session.consume(streamID: streamID, bytes: bytes.readableBytes)
            return
        }
        if let upload = stream.upload {
            receiveStreamed(bytes, upload: upload, stream: stream, streamID: streamID)
            return
        }
        driver?.session.consume(streamID: streamID, bytes: bytes.readableBytes)
        switch stream.phase {
        case .receiving:
            guard stream.body.readableBytes + bytes.readableBytes <= limits.maxBodyBytes else {
                answerEarly(streamID: streamID, status: .payloadTooLarge, code: 3, message: "request body too large")
                return
            }
            guard bufferedBodyBytes + bytes.readableBytes <= limits.http2BufferedBodyBytes else {
                answerEarly(streamID: streamID, status: .serviceUnavailable, code: 14, message: "too much request data in flight on this connection")
                return
            }
            var bytes = bytes
            bufferedBodyBytes += bytes.readableBytes
            stream.body.writeBuffer(&bytes)
        case .discarding(let remaining):
            guard remaining >= bytes.readableBytes else {
                driver?.session.resetStream(streamID: streamID, errorCode: NGHTTP2Session.ErrorCode.noError)
                return
            }
            stream.phase = .discarding(remaining: remaining - bytes.readableBytes)
        case .responding, .streaming:
            break
        }
    }

    /// A chunk of a body that goes to the responder as it arrives. Past the body limit the rest is refused: with
    /// 413 while no answer has started, else by resetting the stream.
    private func receiveStreamed(_ bytes: ByteBuffer, upload: (body: RequestBodyStream, received: Int), stream: Stream, streamID: Int32) {
        guard upload.received + bytes.readableBytes <= limits.maxBodyBytes else {
            driver?.session.consume(streamID: streamID, bytes: bytes.readableBytes)
            guard case .responding = stream.phase else {
                stream.upload = nil
                upload.body.fail(ChannelError.inputClosed)
                driver?.session.resetStream(streamID: streamID, errorCode: NGHTTP2Session.ErrorCode.cancel)
                return
            }
            answerEarly(streamID: streamID, status: .payloadTooLarge, code: 3, message: "request body too large")
            return
        }
        stream.upload = (upload.body, upload.received + bytes.readableBytes)
        _ = upload.body.append(bytes)
    }

    /// Stops counting a stream's body against the connection's budget.
    private func release(_ stream: Stream) {
        bufferedBodyBytes -= stream.body.readableBytes
    }

    // MARK: Answering

    private func dispatchReady() {
        guard !ready.isEmpty else { return }
        let streamIDs = ready
        ready.removeAll(keepingCapacity: true)
        for streamID in streamIDs {
            guard let stream = streams[streamID], case .responding = stream.phase else { continue }
            dispatch(stream, streamID: streamID)
        }
        flush()
    }

    private func dispatch(_ stream: Stream, streamID: Int32) {
        guard let context else { return }
        var method: String?
        var path: String?
        var authority: String?
        var headers = HTTPHeaders()
        var cookies: [String] = []
        for field in stream.fields {
            switch field.name {
            case ":method": method = field.value
            case ":path": path = field.value
            case ":authority": authority = field.value
            case ":scheme", ":protocol": break
            case "cookie": cookies.append(field.value)
            default: headers.add(name: field.name, value: field.value)
            }
        }
        if !cookies.isEmpty { headers.add(name: "cookie", value: cookies.joined(separator: "; ")) }
        if let authority, !headers.contains(name: "host") { headers.add(name: "host", value: authority) }
        guard let method, let path, path.hasPrefix("/") else {
            answer(ListenerErrorBodies.response(.badRequest, code: 3, message: "the request has no path"), streamID: streamID, request: headers)
            return
        }
        let httpMethod = HTTPMethod(rawValue: method)
        let allocator = context.channel.allocator
        let decoded: ByteBuffer
        do {
            decoded = try ContentCoding.decode(stream.body, headers: &headers, limit: limits.maxBodyBytes, allocator: allocator)
        } catch {
            write(ErrorBody.response(error), streamID: streamID, omitBody: httpMethod == .HEAD, request: headers)
            return
        }
        stream.body = ByteBuffer()
        let request = GatewayRequest(
            method: httpMethod, uri: path, headers: headers, body: decoded,
            remoteAddress: context.channel.remoteAddress, cancellation: stream.cancellation, clientCertificate: clientCertificate.of(context.channel),
            bodyStream: stream.streamedBody
        )
        let requestHeaders = headers
        responder.respond(to: request, on: context.eventLoop)
            .hop(to: context.eventLoop)
            .assumeIsolated()
            .whenComplete { [weak self] result in
                guard let self, let stream = self.streams[streamID], case .responding = stream.phase else {
                    if case .success(let response) = result { response.stream?.cancel() }
                    return
                }
                let response: GatewayResponse
                switch result {
                case .success(let value):
                    response = value
                case .failure:
                    let fallback = ListenerErrorBodies.response(.internalServerError, code: 13, message: "internal error")
                    response = GatewayResponse(status: fallback.head.status, headers: fallback.head.headers, body: fallback.body)
                }
                self.write(response, streamID: streamID, omitBody: httpMethod == .HEAD, request: requestHeaders)
                self.flush()
            }
    }

    /// Answers a stream before its request has been read to the end, and drops what the client still sends.
    private func answerEarly(streamID: Int32, status: HTTPResponseStatus, code: Int, message: StaticString) {
        guard let stream = streams[streamID] else { return }
        if case .receiving = stream.phase { release(stream) }
        if let upload = stream.upload {
            stream.upload = nil
            upload.body.fail(ChannelError.inputClosed)
        }
        stream.body = ByteBuffer()
        stream.phase = .discarding(remaining: limits.maxDrainBytes)
        let deadline = now + limits.drainTimeout
        stream.deadline = deadline
        scheduleCheck(at: deadline)
        answer(ListenerErrorBodies.response(status, code: code, message: message), streamID: streamID, request: HTTPHeaders())
    }

    private func answer(_ fixed: (head: HTTPResponseHead, body: ByteBuffer), streamID: Int32, request: HTTPHeaders) {
        let response = GatewayResponse(status: fixed.head.status, headers: fixed.head.headers, body: fixed.body)
        write(response, streamID: streamID, omitBody: false, request: request)
    }

    private func write(_ response: GatewayResponse, streamID: Int32, omitBody: Bool, request: HTTPHeaders) {
        guard let driver, let context else {
            response.stream?.cancel()
            return
        }
        if let source = response.stream, !omitBody {
            writeStream(response, source: source, streamID: streamID, driver: driver)
            return
        }
        response.stream?.cancel()
        var headers = response.headers
        let body = ContentCoding.encode(response.body, status: response.status, headers: &headers, request: request, allocator: context.channel.allocator)
        var fields = Self.fields(status: response.status, headers: headers)
        if response.stream == nil {
            fields.append(HTTP2HeaderField(name: "content-length", value: String(body.readableBytes)))
        }
        do {
            try driver.session.submitResponse(streamID: streamID, headers: fields, body: omitBody ? ByteBuffer() : body)
        } catch {
            driver.session.resetStream(streamID: streamID, errorCode: NGHTTP2Session.ErrorCode.internalError)
        }
        if let stream = streams[streamID] { dropUpload(of: stream) }
    }

    /// Writes a streamed answer's head, then its body as DATA frames while the stream produces it.
    private func writeStream(_ response: GatewayResponse, source: any ResponseBodySource, streamID: Int32, driver: HTTP2ConnectionDriver) {
        guard let stream = streams[streamID], let context else {
            source.cancel()
            return
        }
        do {
            try driver.session.submitResponse(streamID: streamID, headers: Self.fields(status: response.status, headers: response.headers), endStream: false)
        } catch {
            driver.session.resetStream(streamID: streamID, errorCode: NGHTTP2Session.ErrorCode.internalError)
            source.cancel()
            return
        }
        let sink = HTTP2BodySink(handler: self, streamID: streamID, eventLoop: context.eventLoop)
        stream.phase = .streaming(sink)
        source.start(into: sink)
    }

    /// The response head's fields: `:status`, then the headers HTTP/2 allows, in lower case.
    private static func fields(status: HTTPResponseStatus, headers: HTTPHeaders) -> [HTTP2HeaderField] {
        var fields = [HTTP2HeaderField(name: ":status", value: String(status.code))]
        fields.reserveCapacity(headers.count + 2)
        for (name, value) in headers {
            let lowered = name.lowercased()
            guard !connectionSpecific.contains(lowered), isValidField(lowered, value) else { continue }
            fields.append(HTTP2HeaderField(name: lowered, value: value))
        }
        return fields
    }

    // MARK: Streamed bodies

    /// How much of a streamed body may wait in the session before its writes stop completing.
    fileprivate static let streamedBodyHighWater = 64 * 1024

    /// Queues a streamed body's chunk; `true` while the stream's queue is under the high-water mark.
    fileprivate func sendStreamed(_ chunk: ByteBuffer, streamID: Int32) -> Bool {
        guard let driver else { return false }
        driver.session.sendData(streamID: streamID, bytes: chunk)
        scheduleFlush()
        return driver.session.queuedBodyBytes(streamID: streamID) < Self.streamedBodyHighWater
    }

    /// Ends a streamed body: END_STREAM after what is queued, or, when cut off, `RST_STREAM`
    /// (`INTERNAL_ERROR`) once what is queued has gone out (the client sees how far the body got).
    fileprivate func endStreamed(streamID: Int32, complete: Bool) {
        guard let driver, let stream = streams[streamID], case .streaming = stream.phase else { return }
        stream.phase = .responding
        if complete {
            driver.session.finishBody(streamID: streamID)
            dropUpload(of: stream)
        } else {
            stream.upload?.body.fail(ChannelError.inputClosed)
            stream.upload = nil
            resetsWhenDrained.insert(streamID)
        }
        scheduleFlush()
    }

    /// Resets the cut-off streams whose queued body has gone out.
    private func resetDrainedStreams() -> Bool {
        guard let driver, !resetsWhenDrained.isEmpty else { return false }
        var reset = false
        for streamID in resetsWhenDrained where driver.session.queuedBodyBytes(streamID: streamID) == 0 {
            resetsWhenDrained.remove(streamID)
            if streams[streamID] != nil {
                driver.session.resetStream(streamID: streamID, errorCode: NGHTTP2Session.ErrorCode.internalError)
                reset = true
            }
        }
        return reset
    }

    /// Flushes once at the end of this event-loop turn, so the chunks of one turn share a write.
    private func scheduleFlush() {
        guard !isFlushScheduled, let context else { return }
        isFlushScheduled = true
        context.eventLoop.assumeIsolated().execute { [weak self] in
            guard let self else { return }
            self.isFlushScheduled = false
            self.flush()
        }
    }

    /// Completes the writes of streamed bodies whose queues have drained below the high-water mark.
    private func releaseStreamedWriters() {
        guard let driver, hasWaitingWriters else { return }
        hasWaitingWriters = false
        for stream in streams.values {
            guard case .streaming(let sink) = stream.phase, sink.isWaiting else { continue }
            if driver.session.queuedBodyBytes(streamID: sink.streamID) < Self.streamedBodyHighWater {
                sink.resume()
            } else {
                hasWaitingWriters = true
            }
        }
    }

    fileprivate func noteWaitingWriter() {
        hasWaitingWriters = true
    }

    /// Header fields that belong to one HTTP/1.1 hop and are malformed in HTTP/2 (RFC 9113 §8.2.2), and the
    /// `content-length` the body's real length replaces.
    private static let connectionSpecific: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "content-length",
    ]

    /// Whether a field may be sent: a token name, and a value without CR, LF or NUL (RFC 9113 §8.2.1).
    private static func isValidField(_ name: String, _ value: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }
            && !value.utf8.contains { $0 == 0 || $0 == 0x0A || $0 == 0x0D }
    }
}

@available(*, unavailable)
extension PublicHTTP2Handler: Sendable {}

/// A streamed body's DATA on one HTTP/2 stream. A write completes at once while the stream's queue in the
/// session is under ``PublicHTTP2Handler/streamedBodyHighWater``, else once it has drained below it: the
/// client's flow-control window, and the socket's writability, hold the producer back.
final class HTTP2BodySink: ResponseBodySink {
    private weak var handler: PublicHTTP2Handler?
    let streamID: Int32
    private let eventLoop: any EventLoop
    private var waiting: [EventLoopPromise<Void>] = []
    private var isClosed = false

    fileprivate init(handler: PublicHTTP2Handler, streamID: Int32, eventLoop: any EventLoop) {
        self.handler = handler
        self.streamID = streamID
        self.eventLoop = eventLoop
    }

    var isWaiting: Bool { !waiting.isEmpty }

    func write(_ chunk: ByteBuffer) -> EventLoopFuture<Void> {
        guard !isClosed, let handler else { return eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel) }
        if handler.sendStreamed(chunk, streamID: streamID), waiting.isEmpty { return eventLoop.makeSucceededVoidFuture() }
        let promise = eventLoop.makePromise(of: Void.self)
        waiting.append(promise)
        handler.noteWaitingWriter()
        return promise.futureResult
    }

    func finish() {
        handler?.endStreamed(streamID: streamID, complete: true)
    }

    func abort() {
        handler?.endStreamed(streamID: streamID, complete: false)
    }

    /// The queue drained: the waiting writes complete.
    func resume() {
        let promises = waiting
        waiting.removeAll()
        promises.forEach { $0.succeed() }
    }

    /// The stream closed (reset by the client, or the connection ended): the waiting writes fail.
    func closed() {
        isClosed = true
        let promises = waiting
        waiting.removeAll()
        promises.forEach { $0.fail(ChannelError.ioOnClosedChannel) }
    }
}
