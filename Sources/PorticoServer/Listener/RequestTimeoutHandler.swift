import NIOCore

/// Closes connections that are too slow to send a request, or idle too long between requests.
///
/// It sits first in the connection's pipeline, where it sees every byte as it arrives: the first byte after
/// an idle spell starts the request-head clock (``ListenerLimits/requestHeadTimeout``; a new connection's
/// clock starts when it opens), and ``HTTPGatewayHandler`` reports the head, the end of the request and the
/// end of the answer. A head or body that does not arrive in time is answered 408 (a slowloris client
/// trickling a few bytes at a time is closed this way); an idle keep-alive connection is closed after
/// ``ListenerLimits/keepAliveTimeout``. While a request is with the gateway no clock runs; bytes of the next
/// request that arrive meanwhile start its head clock as soon as the answer is out, so a client cannot trade
/// the head clock for the longer keep-alive one by sending early.
///
/// The clocks share one timer per connection, armed lazily: a phase change only moves the deadline, and the
/// timer is rescheduled when it fires early or when a new deadline comes before it. A keep-alive request used
/// to schedule and cancel three timers (four allocations each); now a busy connection schedules about one per
/// head timeout.
final class RequestTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// Where a connection is between requests, as the clocks see it.
    enum Phase {
        case idle
        case head
        case body
        case busy
        case expired
    }

    private let limits: ListenerLimits
    private let metrics: GatewayMetrics?
    private var phase = Phase.head
    /// Whether bytes arrived while a request was with the gateway.
    private var receivedWhileBusy = false
    /// When the current phase runs out; `nil` while no clock runs.
    private var deadline: NIODeadline?
    private var timer: Scheduled<Void>?
    /// When ``timer`` fires.
    private var timerDeadline: NIODeadline?
    private var context: ChannelHandlerContext?

    /// The event loop's clock (virtual on an `EmbeddedEventLoop`), which the timers it schedules follow.
    private var now: NIODeadline { context?.eventLoop.now ?? .now() }

    init(limits: ListenerLimits, metrics: GatewayMetrics?) {
        self.limits = limits
        self.metrics = metrics
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { arm(limits.requestHeadTimeout) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopTimer()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(limits.requestHeadTimeout)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopTimer()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch phase {
        case .expired:
            return
        case .idle:
            phase = .head
            arm(limits.requestHeadTimeout)
        case .busy:
            receivedWhileBusy = true
        case .head, .body:
            break
        }
        context.fireChannelRead(data)
    }

    /// The request head is complete: the body clock starts.
    func headReceived() {
        guard case .head = phase else { return }
        phase = .body
        arm(limits.bodyReadTimeout)
    }

    /// The whole request is in (or was answered early): no clock while the gateway answers it.
    func requestReceived() {
        guard phase != .expired else { return }
        phase = .busy
        receivedWhileBusy = false
        cancel()
    }

    /// The answer is written; a kept-alive connection waits for its next request.
    func responseSent(keepAlive: Bool) {
        guard phase != .expired else { return }
        cancel()
        guard keepAlive else { return }
        if receivedWhileBusy {
            receivedWhileBusy = false
            phase = .head
            arm(limits.requestHeadTimeout)
        } else {
            phase = .idle
            arm(limits.keepAliveTimeout)
        }
    }

    private func arm(_ timeout: TimeAmount) {
        let due = now + timeout
        deadline = due
        if let timerDeadline, timerDeadline <= due { return }
        schedule(at: due)
    }

    /// No clock runs; the timer, if armed, finds nothing to do when it fires.
    private func cancel() {
        deadline = nil
    }

    private func schedule(at due: NIODeadline) {
        guard let context else { return }
        timer?.cancel()
        timerDeadline = due
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) { [self] in
            timerFired()
        }
    }

    private func stopTimer() {
        timer?.cancel()
        timer = nil
        timerDeadline = nil
        deadline = nil
    }

    private func timerFired() {
        timer = nil
        timerDeadline = nil
        guard let deadline else { return }
        guard deadline <= now else {
            schedule(at: deadline)
            return
        }
        self.deadline = nil
        expire()
    }

    private func expire() {
        guard let context else { return }
        let expiredPhase = phase
        phase = .expired
        guard expiredPhase == .head || expiredPhase == .body else {
            context.close(promise: nil)
            return
        }
        metrics?.recordTimeout(expiredPhase)
        context.writeAndFlush(NIOAny(Self.requestTimeout(allocator: context.channel.allocator)), promise: nil)
        context.close(mode: .output, promise: nil)
        context.eventLoop.assumeIsolated().scheduleTask(in: limits.drainTimeout) {
            context.close(promise: nil)
        }
    }

    /// The 408 answer, written as bytes: the HTTP encoder sits behind this handler.
    static func requestTimeout(allocator: ByteBufferAllocator) -> ByteBuffer {
        let body = #"{"code":4,"message":"the request did not arrive in time","details":[]}"#
        var buffer = allocator.buffer(capacity: 160 + body.utf8.count)
        buffer.writeString("HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\ncontent-length: \(body.utf8.count)\r\nconnection: close\r\n\r\n")
        buffer.writeString(body)
        return buffer
    }
}

@available(*, unavailable)
extension RequestTimeoutHandler: Sendable {}
