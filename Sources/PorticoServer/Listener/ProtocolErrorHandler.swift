import NIOCore
import NIOHTTP1

/// Answers requests NIO's HTTP/1.1 decoder cannot parse: 431 for an oversized head, 400 otherwise.
///
/// The answer is a fixed `google.rpc.Status` body; the parser's detail is not sent. The decoder closes the
/// connection right after.
final class ProtocolErrorHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var responseInProgress = false

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        if !responseInProgress {
            let answer = parserError == .headerOverflow
                ? ListenerErrorBodies.response(.requestHeaderFieldsTooLarge, code: 3, message: "request headers too large")
                : ListenerErrorBodies.response(.badRequest, code: 3, message: "malformed HTTP request")
            context.write(wrapOutboundOut(.head(answer.head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(answer.body))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        context.close(promise: nil)
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
