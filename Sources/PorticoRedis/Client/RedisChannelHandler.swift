import NIOCore

/// Writes commands and matches replies to them in order (RESP replies come back in the order commands were
/// sent), so any number of commands can be in flight on one connection.
///
/// Each command has its own timer; when one fires the connection is stuck or too slow, so every command in
/// flight fails with `timeout` and the connection closes (a late reply could no longer be matched). A protocol
/// error or the connection closing fails every command in flight the same way. Not `Sendable`: it lives on
/// its channel's event loop.
final class RedisChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        var reply: EventLoopPromise<RESPValue>
        var timer: Scheduled<Void>
    }

    private let decoder: RESPDecoder
    /// The connection's handshake runs under the connect timeout, its commands under the command timeout.
    var commandTimeout: TimeAmount
    private var pending = CircularBuffer<Pending>()
    private var received: ByteBuffer?
    private var isOpen = true

    init(decoder: RESPDecoder, commandTimeout: TimeAmount) {
        self.decoder = decoder
        self.commandTimeout = commandTimeout
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        guard isOpen else {
            request.reply.fail(RedisError(.connectionClosed, "the connection to Redis is closed"))
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        var bytes = context.channel.allocator.buffer(capacity: 64)
        RESPEncoder.encode(request.arguments, into: &bytes)
        let timer = context.eventLoop.assumeIsolated().scheduleTask(in: commandTimeout) {
            self.failAll(RedisError(.timeout, "no reply from Redis within \(self.commandTimeout)"), context: context)
        }
        pending.append(Pending(reply: request.reply, timer: timer))
        context.write(wrapOutboundOut(bytes), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if received == nil {
            received = bytes
        } else {
            received!.writeBuffer(&bytes)
        }
        do {
            while var buffer = received, let value = try decoder.decode(&buffer) {
                received = buffer.readableBytes == 0 ? nil : buffer
                guard let next = pending.popFirst() else {
                    throw RedisError(.protocolError, "a reply arrived with no command in flight")
                }
                next.timer.cancel()
                if case .error(let message) = value {
                    next.reply.fail(RedisError(.server, message))
                } else {
                    next.reply.succeed(value)
                }
            }
            received?.discardReadBytes()
        } catch {
            failAll(error as? RedisError ?? RedisError(.protocolError, "\(error)"), context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        isOpen = false
        failPending(RedisError(.connectionClosed, "the connection to Redis closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(RedisError(.connectionClosed, "the connection to Redis failed: \(error)"), context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        isOpen = false
        failPending(RedisError(.connectionClosed, "the connection to Redis closed"))
    }

    private func failAll(_ error: RedisError, context: ChannelHandlerContext) {
        isOpen = false
        failPending(error)
        context.close(promise: nil)
    }

    /// Fails every command in flight; the list is emptied first, so a callback that sends again cannot be
    /// failed twice.
    private func failPending(_ error: RedisError) {
        let failed = pending
        pending.removeAll()
        for entry in failed {
            entry.timer.cancel()
            entry.reply.fail(error)
        }
    }
}
