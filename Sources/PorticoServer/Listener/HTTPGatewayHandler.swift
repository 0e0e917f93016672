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
/// - `HEAD` is answered with the status and headers the responder gives, without the body.
/// - A gzip request body is inflated under the body limit, and a JSON or text answer of 1 KiB or more is
///   gzipped for a client that accepts it (``ContentCoding``).
/// - A connection that closes while its request is with the responder fires the request's
///   ``RequestCancellation``, which cancels the backend call.
final class HTTPGatewayHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        case receiving(HTTPRequestHead, ByteBuffer)
        case responding
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

    init(responder: any GatewayResponder, limits: ListenerLimits, timeouts: RequestTimeoutHandler) {
        self.responder = responder
        self.limits = limits
        self.timeouts = timeouts
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), .idle):
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > limits.maxBodyBytes {
                reject(context: context)
            } else {
                timeouts.headReceived()
                state = .receiving(head, context.channel.allocator.buffer(capacity: 0))
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
        case (.end, .receiving(let head, let body)):
            timeouts.requestReceived()
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

    func channelInactive(context: ChannelHandlerContext) {
        if case .responding = state {
            cancellation.cancel()
        }
        state = .closed
        drainTimer?.cancel()
        drainTimer = nil
        context.fireChannelInactive()
    }

    private func dispatch(context: ChannelHandlerContext, head: HTTPRequestHead, body: ByteBuffer) {
        let keepAlive = head.isKeepAlive
        let version = head.version
        let isHead = head.method == .HEAD
        var headers = head.headers
        let decoded: ByteBuffer
        do {
            decoded = try ContentCoding.decode(body, headers: &headers, limit: limits.maxBodyBytes, allocator: context.channel.allocator)
        } catch {
            let answer = GatewayResponse(
                status: HTTPResponseStatus(statusCode: error.httpStatus), headers: HTTPHeaders(error.headers + [("content-type", "application/json")]),
                body: ErrorBody.plain(error)
            )
            write(answer, version: version, keepAlive: keepAlive, omitBody: isHead, request: head.headers, context: context)
            return
        }
        let request = GatewayRequest(
            method: head.method, uri: head.uri, headers: headers, body: decoded,
            remoteAddress: context.remoteAddress, cancellation: cancellation
        )
        responder.respond(to: request, on: context.eventLoop)
            .hop(to: context.eventLoop)
            .assumeIsolated()
            .whenComplete { result in
                guard case .responding = self.state else { return }
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
        var headers = response.headers
        let body = ContentCoding.encode(response.body, status: response.status, headers: &headers, request: request, allocator: context.channel.allocator)
        headers.replaceOrAdd(name: "content-length", value: String(body.readableBytes))
        let close = !keepAlive || headers.first(name: "connection")?.lowercased() == "close"
        if close {
            headers.replaceOrAdd(name: "connection", value: "close")
        } else if version.major == 1, version.minor == 0 {
            headers.replaceOrAdd(name: "connection", value: "keep-alive")
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

    /// Answers 413 and stops sending; the connection closes once the request has been read to its end, or
    /// after ``ListenerLimits/drainTimeout`` at the latest.
    private func reject(context: ChannelHandlerContext) {
        state = .draining(remaining: limits.maxDrainBytes)
        timeouts.requestReceived()
        let answer = ListenerErrorBodies.response(.payloadTooLarge, code: 3, message: "request body too large")
        context.write(wrapOutboundOut(.head(answer.head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(answer.body))), promise: nil)
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

extension ChannelHandlerContext {
    fileprivate func writeAndFlushWithPromise(_ data: NIOAny) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        writeAndFlush(data, promise: promise)
        return promise.futureResult
    }
}
