import NIOCore

/// Chooses a public connection's protocol from its first bytes and installs that protocol's handlers in
/// its place: HTTP/2 when the client opens with the HTTP/2 connection preface (h2 negotiated by ALPN, or h2c
/// with prior knowledge on the plain port), HTTP/1.1 otherwise.
///
/// The choice is made as soon as the bytes differ from the preface, so an HTTP/1.1 request is never held
/// back. A connection that has not shown which it speaks within ``ListenerLimits/requestHeadTimeout`` of
/// opening (a stalled TLS handshake, a trickled preface, nothing at all) is answered as an HTTP/1.1 head that
/// did not arrive in time (408), closed, and counted as a head timeout.
///
/// A shutdown (`ChannelShouldQuiesceEvent`) before the first byte closes the connection at once; one that
/// comes while the first bytes are still undecided is passed on to the protocol's handlers once installed, so
/// they finish the request those bytes begin.
final class ProtocolSelectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The protocol a connection speaks.
    enum WireProtocol {
        case http1
        case http2
    }

    /// RFC 9113 §3.4: the bytes every HTTP/2 client sends first.
    private static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    private let timeout: TimeAmount
    /// How long a timed-out connection may still send before it is closed (so it reads the 408 first).
    private let lingerTimeout: TimeAmount
    private var expired = false
    private var quiesced = false
    private let metrics: GatewayMetrics?
    private let install: (WireProtocol, ChannelPipeline.SynchronousOperations) throws -> Void
    private var received: ByteBuffer?
    private var timer: Scheduled<Void>?

    init(
        timeout: TimeAmount, lingerTimeout: TimeAmount, metrics: GatewayMetrics?,
        install: @escaping (WireProtocol, ChannelPipeline.SynchronousOperations) throws -> Void
    ) {
        self.timeout = timeout
        self.lingerTimeout = lingerTimeout
        self.metrics = metrics
        self.install = install
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !expired else { return }
        var bytes = unwrapInboundIn(data)
        if var held = received {
            held.writeBuffer(&bytes)
            bytes = held
        }
        let compared = min(bytes.readableBytes, Self.preface.count)
        let matches = bytes.readableBytesView.prefix(compared).elementsEqual(Self.preface.prefix(compared))
        guard !matches || compared == Self.preface.count else {
            received = bytes
            return
        }
        select(matches ? .http2 : .http1, firstBytes: bytes, context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        if received == nil {
            context.close(promise: nil)
        } else {
            quiesced = true
        }
    }

    private func arm(context: ChannelHandlerContext) {
        guard timer == nil else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [metrics] in
            metrics?.recordTimeout(.head)
            self.expired = true
            context.writeAndFlush(NIOAny(RequestTimeoutHandler.requestTimeout(allocator: context.channel.allocator)), promise: nil)
            context.close(mode: .output, promise: nil)
            context.eventLoop.assumeIsolated().scheduleTask(in: self.lingerTimeout) {
                context.close(promise: nil)
            }
        }
    }

    private func select(_ wireProtocol: WireProtocol, firstBytes: ByteBuffer, context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        received = nil
        do {
            try install(wireProtocol, context.pipeline.syncOperations)
        } catch {
            context.close(promise: nil)
            return
        }
        context.fireChannelRead(wrapInboundOut(firstBytes))
        if quiesced { context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent()) }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

@available(*, unavailable)
extension ProtocolSelectionHandler: Sendable {}
