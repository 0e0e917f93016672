import NIOCore
import NIOHTTP1
import PorticoCore

/// Collects one HTTP/1.1 request at a time, hands it to the ``GatewayResponder`` and writes the answer.
///
/// It sits behind NIO's `HTTPServerPipelineHandler`, which holds back pipelined requests until the previous
/// response is written and drains connections on quiesce; the next request can arrive while the previous
/// answer's end is being written, so the handler is ready for it before that write.
///
/// - A body beyond ``ListenerLimits/maxBodyBytes`` is answered 413 as soon as the limit is known (from
///   `content-length` or while streaming), so an oversized upload is never buffered. The connection then
///   stops sending, reads and discards what the client still writes (up to ``ListenerLimits/maxDrainBytes``)
///   and closes once the request has ended: a client that writes its whole body before reading still gets
///   the 413 instead of a connection reset.
/// - `HEAD` is answered with the status and headers the responder gives, without the body; a streamed
///   answer's `HEAD` says `transfer-encoding: chunked`, as its `GET` would, and the stream is cancelled.
/// - A head with `Expect: 100-continue` is shown to the responder first (``GatewayResponder/admit(_:on:)``):
///   `100 Continue` when the body may come, else the answer at once without reading the body; another
///   expectation is answered 417.
/// - A gzip request body is inflated under the body limit, and a JSON or text answer of 1 KiB or more is
///   gzipped for a client that accepts it (``ContentCoding``).
/// - A client stream's NDJSON or JSON body (``GatewayResponder/streamsBody(of:)``) goes to the responder as
///   it arrives: the request is dispatched at its head, reading pauses while the responder has not taken what
///   came, and an answer that comes before the body's end (a refusal, a bad line) is written at once and the
///   rest of the body drained.
/// - A connection that closes while its request is with the responder fires the request's
///   ``RequestCancellation``, which cancels the backend call.
/// - A request is not answered while the socket is not writable (a client that pipelines requests and does
///   not read the answers): it waits until the client reads, and NIO's pipelining handler stops reading
///   further requests meanwhile, so such a client holds at most the write buffer's high-water mark.
final class HTTPGatewayHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        case receiving(HTTPRequestHead, ByteBuffer)
        /// A head with `Expect: 100-continue` is with the responder's ``GatewayResponder/admit(_:on:)``; what
        /// body the client sends meanwhile is kept, and whether the request has already ended.
        case admitting(HTTPRequestHead, ByteBuffer, ended: Bool)
        /// A whole request waits for the client to read the answers before it (the socket is not writable).
        case waitingForReader(HTTPRequestHead, ByteBuffer)
        case responding
        /// A streamed body is being written.
        case streaming
        /// Answered early; discarding the rest of the request, with this many bytes still allowed.
        case draining(remaining: Int)
        case closed
    }

    private let responder: any GatewayResponder
    private let limits: ListenerLimits
    /// The connection's request clocks, told when a head, a whole request and an answer have passed.
    private let timeouts: RequestTimeoutHandler
    private var state = State.idle
    /// Closes a draining connection whose client neither finishes nor closes; cancelled once it closes.
    private var drainTimer: Scheduled<Void>?
    /// The connection's cancellation, re-armed for each request.
    private let cancellation = RequestCancellation()
    /// The verified client certificate's identity, read from the TLS handler once per connection.
    private var clientCertificate = ClientCertificateIdentity.Cached()
    /// Whether reading stopped because a streamed request body waits for the responder.
    private var isReadingPaused = false
    /// The body of the request with the responder while it still arrives (``GatewayResponder/streamsBody(of:)``),
    /// and the bytes received so far; it may go on while a bidirectional answer streams.
    private var requestBody: (stream: RequestBodyStream, received: Int)?

    /// The connection's WebSocket upgrades, whose refusals arrive here as requests.
    private let webSockets: WebSocketUpgrade?

    init(responder: any GatewayResponder, limits: ListenerLimits, timeouts: RequestTimeoutHandler, webSockets: WebSocketUpgrade? = nil) {
        self.responder = responder
        self.limits = limits
        self.timeouts = timeouts
        self.webSockets = webSockets
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if let (stream, received) = requestBody {
            receiveStreamed(part, stream: stream, received: received, context: context)
            return
        }
        switch (part, state) {
        case (.head(let head), .idle):
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > limits.maxBodyBytes {
                reject(context: context)
                return
            }
            timeouts.headReceived()
            let body = context.channel.allocator.buffer(capacity: 0)
            switch Self.expectation(of: head) {
            case nil where responder.streamsBody(of: head):
                streamRequest(head, context: context)
            case nil:
                state = .receiving(head, body)
            case "100-continue"?:
                state = .admitting(head, body, ended: false)
                admit(head, context: context)
            case _?:
                let answer = ListenerErrorBodies.response(.expectationFailed, code: 9, message: "only Expect: 100-continue is supported")
                answerEarly(answer.head, body: answer.body, context: context)
            }
        case (.body(var chunk), .receiving(let head, var body)):
            guard body.readableBytes + chunk.readableBytes <= limits.maxBodyBytes else {
                reject(context: context)
                drain(chunk.readableBytes, context: context)
                return
            }
            state = .idle
            body.writeBuffer(&chunk)
            state = .receiving(head, body)
        case (.body(var chunk), .admitting(let head, var body, let ended)):
            guard body.readableBytes + chunk.readableBytes <= limits.maxBodyBytes else {
                reject(context: context)
                drain(chunk.readableBytes, context: context)
                return
            }
            state = .idle
            body.writeBuffer(&chunk)
            state = .admitting(head, body, ended: ended)
        case (.end, .admitting(let head, let body, _)):
            state = .admitting(head, body, ended: true)
        case (.end, .receiving(let head, let body)):
            timeouts.requestReceived()
            guard context.channel.isWritable else {
                state = .waitingForReader(head, body)
                return
            }
            state = .responding
            cancellation.rearm()
            dispatch(context: context, head: head, body: body)
        case (.body(let chunk), .draining):
            drain(chunk.readableBytes, context: context)
        case (.end, .draining):
            close(context: context)
        case (_, .closed), (_, .draining), (.body, _), (.end, _), (.head, _):
            break
        }
    }

    /// A request held while the client was not reading runs once it reads again.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, case .waitingForReader(let head, let body) = state {
            state = .responding
            cancellation.rearm()
            dispatch(context: context, head: head, body: body)
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        requestBody?.stream.fail(ChannelError.ioOnClosedChannel)
        requestBody = nil
        switch state {
        case .responding, .streaming: cancellation.cancel()
        default: break
        }
        state = .closed
        drainTimer?.cancel()
        drainTimer = nil
        context.fireChannelInactive()
    }

    /// The lowercased `Expect` of an HTTP/1.1 request; `nil` without one (HTTP/1.0 expectations are ignored,
    /// RFC 9110 §10.1.1).
    private static func expectation(of head: HTTPRequestHead) -> String? {
        guard head.version.major > 1 || head.version.minor >= 1, let value = head.headers.first(name: "expect") else { return nil }
        return String(value.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()).lowercased()
    }

    /// Asks the responder about a `100-continue` head: `100 Continue` when it lets the body come, else its
    /// answer without the body (the connection then closes once the client stops sending).
    private func admit(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        cancellation.rearm()
        let request = GatewayRequest(
            method: head.method, uri: head.uri, headers: head.headers, body: ByteBuffer(),
            remoteAddress: context.channel.remoteAddress, cancellation: cancellation, clientCertificate: clientCertificate.of(context.channel)
        )
        responder.admit(request, on: context.eventLoop)
            .hop(to: context.eventLoop)
            .assumeIsolated()
            .whenComplete { result in
                guard case .admitting(let head, let body, let ended) = self.state else { return }
                let answer: GatewayResponse? = if case .success(let answer?) = result { answer } else { nil }
                switch (answer, ended) {
                case (nil, false):
                    self.state = .receiving(head, body)
                    context.writeAndFlush(self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
                case (nil, true):
                    self.timeouts.requestReceived()
                    self.state = .responding
                    self.dispatch(context: context, head: head, body: body)
                case (let answer?, true):
                    self.timeouts.requestReceived()
                    self.state = .responding
                    self.write(answer, version: head.version, keepAlive: head.isKeepAlive, omitBody: head.method == .HEAD, request: head.headers, context: context)
                case (let answer?, false):
                    var headers = answer.headers
                    var body = ContentCoding.encode(answer.body, status: answer.status, headers: &headers, request: head.headers, allocator: context.channel.allocator)
                    if head.method == .HEAD { body.clear() }
                    headers.replaceOrAdd(name: "content-length", value: String(body.readableBytes))
                    headers.replaceOrAdd(name: "connection", value: "close")
                    self.answerEarly(HTTPResponseHead(version: head.version, status: answer.status, headers: headers), body: body, context: context)
                }
            }
    }

    /// Hands a request to the responder at its head, its body following as it arrives; reading pauses while the
    /// responder has not taken what came (``RequestBodyStream``). The body clock stops: such a body may last as
    /// long as a stream, and the responder times out a client that stops sending (its stream `idle_timeout`).
    private func streamRequest(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        timeouts.requestReceived()
        let stream = RequestBodyStream(eventLoop: context.eventLoop)
        stream.setOnResume { [weak self] in self?.resumeReading(context: context) }
        requestBody = (stream, 0)
        state = .responding
        cancellation.rearm()
        dispatch(context: context, head: head, body: ByteBuffer(), bodyStream: stream)
    }

    /// A part of a request body that goes to the responder as it arrives. Past the body limit the rest is
    /// refused: with 413 while no answer has started, else by closing the connection.
    private func receiveStreamed(_ part: HTTPServerRequestPart, stream: RequestBodyStream, received: Int, context: ChannelHandlerContext) {
        switch part {
        case .body(let chunk):
            guard received + chunk.readableBytes <= limits.maxBodyBytes else {
                requestBody = nil
                stream.fail(ChannelError.inputClosed)
                resumeReading(context: context)
                guard case .responding = state else {
                    state = .closed
                    context.close(promise: nil)
                    return
                }
                reject(context: context)
                drain(chunk.readableBytes, context: context)
                return
            }
            requestBody = (stream, received + chunk.readableBytes)
            if !stream.append(chunk) { pauseReading(context: context) }
        case .end:
            timeouts.requestReceived()
            requestBody = nil
            stream.finish()
            resumeReading(context: context)
        case .head:
            break
        }
    }

    private func pauseReading(context: ChannelHandlerContext) {
        guard !isReadingPaused else { return }
        isReadingPaused = true
        try? context.channel.syncOptions?.setOption(.autoRead, value: false)
    }

    private func resumeReading(context: ChannelHandlerContext) {
        guard isReadingPaused else { return }
        isReadingPaused = false
        try? context.channel.syncOptions?.setOption(.autoRead, value: true)
        context.read()
    }

    private func dispatch(context: ChannelHandlerContext, head: HTTPRequestHead, body: ByteBuffer, bodyStream: RequestBodyStream? = nil) {
        let keepAlive = head.isKeepAlive
        let version = head.version
        let isHead = head.method == .HEAD
        if let refusal = webSockets?.takeRefusal() {
            write(refusal, version: version, keepAlive: keepAlive, omitBody: isHead, request: head.headers, context: context)
            return
        }
        var headers = head.headers
        let decoded: ByteBuffer
        do {
            decoded = try ContentCoding.decode(body, headers: &headers, limit: limits.maxBodyBytes, allocator: context.channel.allocator)
        } catch {
            write(ErrorBody.response(error), version: version, keepAlive: keepAlive, omitBody: isHead, request: head.headers, context: context)
            return
        }
        let request = GatewayRequest(
            method: head.method, uri: head.uri, headers: headers, body: decoded,
            remoteAddress: context.channel.remoteAddress, cancellation: cancellation, clientCertificate: clientCertificate.of(context.channel),
            bodyStream: bodyStream
        )
        responder.respond(to: request, on: context.eventLoop)
            .hop(to: context.eventLoop)
            .assumeIsolated()
            .whenComplete { result in
                if let (stream, _) = self.requestBody, case .responding = self.state,
                   (try? result.get())?.stream == nil {
                    self.requestBody = nil
                    stream.fail(ChannelError.inputClosed)
                    self.resumeReading(context: context)
                    let response = (try? result.get()) ?? ErrorBody.response(.internalError(cause: "the responder failed"))
                    var headers = response.headers
                    headers.replaceOrAdd(name: "content-length", value: String(response.body.readableBytes))
                    headers.replaceOrAdd(name: "connection", value: "close")
                    self.answerEarly(HTTPResponseHead(version: version, status: response.status, headers: headers), body: response.body, context: context)
                    return
                }
                guard case .responding = self.state else {
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
                self.write(response, version: version, keepAlive: keepAlive, omitBody: isHead, request: headers, context: context)
            }
    }

    private func write(
        _ response: GatewayResponse, version: HTTPVersion, keepAlive: Bool, omitBody: Bool, request: HTTPHeaders, context: ChannelHandlerContext
    ) {
        if let stream = response.stream, !omitBody {
            writeStream(response, stream: stream, version: version, keepAlive: keepAlive, context: context)
            return
        }
        var headers = response.headers
        let body: ByteBuffer
        if let stream = response.stream {
            // A HEAD of a streamed answer: the framing the GET would have (RFC 9112 §6.1), and NIO's encoder
            // writes no body for a HEAD.
            stream.cancel()
            body = ByteBuffer()
            headers.remove(name: "content-length")
            if version.major == 1, version.minor >= 1 { headers.replaceOrAdd(name: "transfer-encoding", value: "chunked") }
        } else {
            body = ContentCoding.encode(response.body, status: response.status, headers: &headers, request: request, allocator: context.channel.allocator)
            headers.set(name: "content-length", value: String(body.readableBytes))
        }
        let close = !keepAlive || headers.first(name: "connection")?.lowercased() == "close"
        if close {
            headers.set(name: "connection", value: "close")
        } else if version.major == 1, version.minor == 0 {
            headers.set(name: "connection", value: "keep-alive")
        }
        let head = HTTPResponseHead(version: version, status: response.status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if body.readableBytes > 0, !omitBody {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        // The pipelining handler hands over the next request while `.end` is written: be ready for it first.
        state = close ? .closed : .idle
        timeouts.responseSent(keepAlive: !close)
        let written = context.writeAndFlushWithPromise(wrapOutboundOut(.end(nil)))
        if close {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    /// Writes a streamed answer's head, then its body as the stream produces it: chunked on HTTP/1.1, up to
    /// the connection's close on HTTP/1.0.
    private func writeStream(
        _ response: GatewayResponse, stream: any ResponseBodySource, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext
    ) {
        var headers = response.headers
        headers.remove(name: "content-length")
        let chunked = version.major > 1 || version.minor >= 1
        let close = !keepAlive || !chunked || headers.first(name: "connection")?.lowercased() == "close"
        if chunked { headers.replaceOrAdd(name: "transfer-encoding", value: "chunked") }
        if close { headers.replaceOrAdd(name: "connection", value: "close") }
        state = .streaming
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: response.status, headers: headers))), promise: nil)
        stream.start(into: HTTP1BodySink(handler: self, context: context, closesAfter: close))
    }

    /// Ends a streamed answer: complete (its last chunk; the connection then serves its next request or
    /// closes), or cut off (the connection closes without the last chunk, so the client sees a broken body).
    fileprivate func endStream(complete: Bool, closesAfter close: Bool, lastWrite: EventLoopFuture<Void>?, context: ChannelHandlerContext) {
        guard case .streaming = state else { return }
        if let (stream, _) = requestBody {
            requestBody = nil
            stream.fail(ChannelError.inputClosed)
            resumeReading(context: context)
            endStream(complete: complete, closesAfter: true, lastWrite: lastWrite, context: context)
            return
        }
        guard complete else {
            state = .closed
            context.flush()
            guard let lastWrite else {
                context.close(promise: nil)
                return
            }
            lastWrite.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            return
        }
        state = close ? .closed : .idle
        timeouts.responseSent(keepAlive: !close)
        let written = context.writeAndFlushWithPromise(wrapOutboundOut(.end(nil)))
        if close {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    fileprivate func wrapBody(_ chunk: ByteBuffer) -> NIOAny {
        wrapOutboundOut(.body(.byteBuffer(chunk)))
    }

    /// Answers 413 (``answerEarly(_:body:context:)``).
    private func reject(context: ChannelHandlerContext) {
        let answer = ListenerErrorBodies.response(.payloadTooLarge, code: 3, message: "request body too large")
        answerEarly(answer.head, body: answer.body, context: context)
    }

    /// Answers before the body is read and stops sending; the connection closes once the request has been
    /// read to its end, or after ``ListenerLimits/drainTimeout`` at the latest.
    private func answerEarly(_ head: HTTPResponseHead, body: ByteBuffer, context: ChannelHandlerContext) {
        state = .draining(remaining: limits.maxDrainBytes)
        timeouts.requestReceived()
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if body.readableBytes > 0 { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.close(mode: .output, promise: nil)
        drainTimer = context.eventLoop.assumeIsolated().scheduleTask(in: limits.drainTimeout) {
            self.close(context: context)
        }
    }

    /// Counts discarded bytes; past the bound the connection is closed without waiting for the end.
    private func drain(_ count: Int, context: ChannelHandlerContext) {
        guard case .draining(let remaining) = state else { return }
        guard remaining >= count else {
            close(context: context)
            return
        }
        state = .draining(remaining: remaining - count)
    }

    private func close(context: ChannelHandlerContext) {
        guard case .draining = state else { return }
        state = .closed
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension HTTPGatewayHandler: Sendable {}

/// A streamed body's chunks on an HTTP/1.1 connection. Each write completes once its bytes are with the
/// socket, so a client that does not read holds the stream back; the chunks written in one event-loop turn
/// share one flush.
private final class HTTP1BodySink: ResponseBodySink {
    private let handler: HTTPGatewayHandler
    private let context: ChannelHandlerContext
    private let closesAfter: Bool
    private var flushPending = false
    /// The last chunk's write: a cut-off body closes the connection once what was written before is out.
    private var lastWrite: EventLoopFuture<Void>?

    init(handler: HTTPGatewayHandler, context: ChannelHandlerContext, closesAfter: Bool) {
        self.handler = handler
        self.context = context
        self.closesAfter = closesAfter
    }

    func write(_ chunk: ByteBuffer) -> EventLoopFuture<Void> {
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.write(handler.wrapBody(chunk), promise: promise)
        lastWrite = promise.futureResult
        if !flushPending {
            flushPending = true
            context.eventLoop.assumeIsolated().execute {
                self.flushPending = false
                self.context.flush()
            }
        }
        return promise.futureResult
    }

    func finish() {
        handler.endStream(complete: true, closesAfter: closesAfter, lastWrite: nil, context: context)
    }

    func abort() {
        handler.endStream(complete: false, closesAfter: true, lastWrite: lastWrite, context: context)
    }
}

extension ChannelHandlerContext {
    fileprivate func writeAndFlushWithPromise(_ data: NIOAny) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        writeAndFlush(data, promise: promise)
        return promise.futureResult
    }
}
