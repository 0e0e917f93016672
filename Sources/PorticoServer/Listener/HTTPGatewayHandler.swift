import NIOCore
import NIOHTTP1
import PorticoCore

/// Collects one HTTP/1.1 request at a time, hands it to the ``GatewayResponder`` and writes the answer.
///
/// It sits behind NIO's `HTTPServerPipelineHandler`, which holds back pipelined requests until the previous
/// response is written and drains connections on quiesce. Bodies beyond ``ListenerLimits/maxBodyBytes`` are
/// answered 413 as soon as the limit is known (from `content-length` or while streaming) and the connection
/// is closed, so an oversized upload is never buffered.
final class HTTPGatewayHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        case receiving(HTTPRequestHead, ByteBuffer)
        case rejected
        case responding
    }

    private let responder: any GatewayResponder
    private let limits: ListenerLimits
    private var state = State.idle

    init(responder: any GatewayResponder, limits: ListenerLimits) {
        self.responder = responder
        self.limits = limits
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), .idle):
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > limits.maxBodyBytes {
                reject(context: context)
            } else {
                state = .receiving(head, context.channel.allocator.buffer(capacity: 0))
            }
        case (.body(var chunk), .receiving(let head, var body)):
            guard body.readableBytes + chunk.readableBytes <= limits.maxBodyBytes else {
                reject(context: context)
                return
            }
            state = .rejected
            body.writeBuffer(&chunk)
            state = .receiving(head, body)
        case (.end, .receiving(let head, let body)):
            state = .responding
            dispatch(context: context, head: head, body: body)
        case (_, .rejected), (.body, _), (.end, _), (.head, _):
            break
        }
    }

    private func dispatch(context: ChannelHandlerContext, head: HTTPRequestHead, body: ByteBuffer) {
        let request = GatewayRequest(method: head.method, uri: head.uri, headers: head.headers, body: body, remoteAddress: context.remoteAddress)
        let keepAlive = head.isKeepAlive
        let version = head.version
        responder.respond(to: request, on: context.eventLoop)
            .hop(to: context.eventLoop)
            .assumeIsolated()
            .whenComplete { result in
                let response: GatewayResponse
                switch result {
                case .success(let value):
                    response = value
                case .failure:
                    let fallback = ListenerErrorBodies.response(.internalServerError, code: 13, message: "internal error")
                    response = GatewayResponse(status: fallback.head.status, headers: fallback.head.headers, body: fallback.body)
                }
                self.write(response, version: version, keepAlive: keepAlive, context: context)
            }
    }

    private func write(_ response: GatewayResponse, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = response.headers
        headers.replaceOrAdd(name: "content-length", value: String(response.body.readableBytes))
        let close = !keepAlive || headers.first(name: "connection")?.lowercased() == "close"
        if close {
            headers.replaceOrAdd(name: "connection", value: "close")
        } else if version.major == 1, version.minor == 0 {
            headers.replaceOrAdd(name: "connection", value: "keep-alive")
        }
        let head = HTTPResponseHead(version: version, status: response.status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if response.body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil)
        }
        let written = context.writeAndFlushWithPromise(wrapOutboundOut(.end(nil)))
        state = .idle
        if close {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    private func reject(context: ChannelHandlerContext) {
        state = .rejected
        let answer = ListenerErrorBodies.response(.payloadTooLarge, code: 3, message: "request body too large")
        context.write(wrapOutboundOut(.head(answer.head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(answer.body))), promise: nil)
        context.writeAndFlushWithPromise(wrapOutboundOut(.end(nil)))
            .assumeIsolated()
            .whenComplete { _ in context.close(promise: nil) }
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
