import NIOCore
import NIOHTTP1

/// Answers requests NIO's HTTP/1.1 decoder cannot parse: 431 for an oversized head, 400 otherwise.
///
/// The answer is a fixed `google.rpc.Status` body; the parser's detail is not sent. The connection then stops
/// sending and closes when the client does, or after ``ListenerLimits/drainTimeout``: what the client still
/// sends (the rest of an oversized head, a body) is read and dropped by the failed decoder, so the client reads
/// the answer instead of a connection reset.
final class ProtocolErrorHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let drainTimeout: TimeAmount
    private var responseInProgress = false
    private var answered = false

    init(drainTimeout: TimeAmount) {
        self.drainTimeout = drainTimeout
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        guard !answered else { return }
        answered = true
        guard !responseInProgress else {
            context.close(promise: nil)
            return
        }
        let answer = parserError == .headerOverflow
            ? ListenerErrorBodies.response(.requestHeaderFieldsTooLarge, code: 3, message: "request headers too large")
            : ListenerErrorBodies.response(.badRequest, code: 3, message: "malformed HTTP request")
        context.write(wrapOutboundOut(.head(answer.head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(answer.body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.close(mode: .output, promise: nil)
        context.eventLoop.assumeIsolated().scheduleTask(in: drainTimeout) {
            context.close(promise: nil)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200:
            responseInProgress = true
        case .end:
            responseInProgress = false
        case .head, .body:
            break
        }
        context.write(data, promise: promise)
    }
}

@available(*, unavailable)
extension ProtocolErrorHandler: Sendable {}
