import NIOCore
import NIOHTTP1

/// Bounds how far a connection reads ahead of its answers.
///
/// It sits between NIO's request decoder and its pipelining handler, counting request heads in and answer
/// ends out:
/// - Past ``ListenerLimits/maxPipelinedRequests`` requests read and not yet answered, the rest of what the
///   client sent is dropped and the connection closed: a client pipelining thousands of requests without
///   reading would otherwise have every one of them decoded and held in memory ahead of the one being
///   answered.
/// - While only the request being answered is outstanding, the connection keeps reading. NIO's pipelining
///   handler holds reads back from the end of a request to the end of its answer, so every keep-alive
///   request cost two `epoll_ctl` calls (read interest dropped, then taken again) though a client that waits
///   for its answer sends nothing meanwhile. A client that pipelines a second request is held back as
///   before, as is one whose streamed body has paused reading (`autoRead` off).
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

    func channelReadComplete(context: ChannelHandlerContext) {
        context.fireChannelReadComplete()
        guard outstanding <= 1, !closing, context.channel.isActive,
              (try? context.channel.syncOptions?.getOption(.autoRead)) == true
        else { return }
        context.read()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { outstanding = max(0, outstanding - 1) }
        context.write(data, promise: promise)
    }
}

@available(*, unavailable)
extension PipeliningDepthHandler: Sendable {}
