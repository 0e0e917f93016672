import NIOCore
import NIOHTTP1

/// Closes a connection that has more than ``ListenerLimits/maxPipelinedRequests`` requests read and not yet
/// answered: a client pipelining thousands of requests without reading would otherwise have every one of
/// them decoded and held in memory ahead of the one being answered.
///
/// It sits between NIO's request decoder and its pipelining handler, counting request heads in and answer
/// ends out; past the limit the rest of what the client sent is dropped and the connection closed.
final class PipeliningDepthHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let limit: Int
    private var outstanding = 0
    private var closing = false

    init(limit: Int) {
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        if case .head = unwrapInboundIn(data) {
            outstanding += 1
            guard outstanding <= limit else {
                closing = true
                context.close(promise: nil)
                return
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { outstanding = max(0, outstanding - 1) }
        context.write(data, promise: promise)
    }
}

@available(*, unavailable)
extension PipeliningDepthHandler: Sendable {}
