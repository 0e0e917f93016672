import NIOCore
import NIOPosix

/// Sends raw bytes to a server on loopback and returns everything it answers until it closes the connection.
///
/// Tests use it for exact HTTP/1.1 behaviour (pipelining, limits, malformed requests) that a client library
/// would hide; ending each exchange with `Connection: close` makes "read until EOF" the readiness signal.
/// Like a plain socket client, it goes on writing after the server has stopped sending.
package enum RawHTTPClient {
    /// Writes the whole `request`, then collects the reply bytes until the server stops sending.
    package static func exchange(host: String = "127.0.0.1", port: Int, request: String, group: any EventLoopGroup) async throws -> String {
        try await exchange(host: host, port: port, request: request, group: group) {}
    }

    /// As ``exchange(host:port:request:group:)``, then, once `ready` returns, sends `then` on the same
    /// connection (a client that writes again while its first request is being answered).
    package static func exchange(
        host: String = "127.0.0.1", port: Int, request: String, then: String = "", group: any EventLoopGroup, ready: () async throws -> Void
    ) async throws -> String {
        let collector = ReplyCollector.Box()
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ReplyCollector(box: collector, promise: collector.makePromise(on: channel.eventLoop)))
                }
            }
            .connect(host: host, port: port)
            .get()
        try await channel.writeAndFlush(ByteBuffer(string: request)).get()
        if !then.isEmpty {
            try await ready()
            try await channel.writeAndFlush(ByteBuffer(string: then)).get()
        }
        let reply = try await collector.future.get()
        try? await channel.close()
        return reply
    }
}

private final class ReplyCollector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    final class Box: @unchecked Sendable {
        private(set) var future: EventLoopFuture<String>!

        func makePromise(on loop: any EventLoop) -> EventLoopPromise<String> {
            let promise = loop.makePromise(of: String.self)
            future = promise.futureResult
            return promise
        }
    }

    private let promise: EventLoopPromise<String>
    private var received = ""

    init(box: Box, promise: EventLoopPromise<String>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        received += buffer.readString(length: buffer.readableBytes) ?? ""
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            promise.succeed(received)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.succeed(received)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.succeed(received)
        context.close(promise: nil)
    }
}
