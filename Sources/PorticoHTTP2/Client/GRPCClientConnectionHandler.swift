import PorticoCore
import NIOCore

/// What a client connection tells its pool; called on the connection's event loop, never from inside
/// nghttp2.
protocol GRPCClientConnectionDelegate: AnyObject {
    /// A stream closed or the peer's stream limit changed: queued calls may fit now.
    func connectionCapacityChanged(_ connection: GRPCClientConnectionHandler)
    /// The connection stopped taking streams (the peer sent GOAWAY, or nghttp2 can open no more); called once
    /// per connection.
    func connectionGoingAway(_ connection: GRPCClientConnectionHandler)
    /// The channel closed; its streams have already been failed.
    func connectionClosed(_ connection: GRPCClientConnectionHandler)
}

/// The client end of one HTTP/2 connection to a gRPC backend (cleartext, prior knowledge).
///
/// It owns the ``NGHTTP2Session`` and the table of active calls by stream id. Bytes read go into nghttp2;
/// the events that produced are handled after nghttp2 returns; what nghttp2 then wants to send is written
/// in one buffer. It also runs keepalive PINGs while streams are open and closes itself after an idle
/// period. Not `Sendable`: everything happens on the channel's event loop.
final class GRPCClientConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    weak var delegate: (any GRPCClientConnectionDelegate)?
    private let configuration: GRPCClientConfiguration
    private let authority: String
    private var driver: HTTP2ConnectionDriver?
    private var session: NGHTTP2Session? { driver?.session }
    private var context: ChannelHandlerContext?
    private var streams: [Int32: GRPCClientCall] = [:]
    private var heldBytes: [Int32: Int] = [:]
    /// Streams whose request writer waits for its queue to drain.
    private var waitingWriters: Set<Int32> = []
    private var isFlushScheduled = false
    private var remoteStreamLimit = Int.max
    private(set) var goAwayLastStreamID: Int32?
    private var keepaliveTask: Scheduled<Void>?
    private var pingTimeoutTask: Scheduled<Void>?
    private var idleTask: Scheduled<Void>?
    /// Ends the streams whose call's deadline passes (one timer for all of them).
    private lazy var deadlines = CallDeadlineTimer { [weak self] in
        guard let self else { return nil }
        return self.streams.values.expireDeadlines(now: self.now)
    }
    /// Since when the connection has had no stream; `nil` while it has one. The idle timer, armed lazily,
    /// closes the connection once this is ``GRPCClientConfiguration/idleTimeout`` ago: a call no longer
    /// schedules and cancels a timer of its own.
    private var idleSince: NIODeadline?

    /// The event loop's clock (virtual on an `EmbeddedEventLoop`), which the timers it schedules follow.
    private var now: NIODeadline { context?.eventLoop.now ?? .now() }

    init(configuration: GRPCClientConfiguration, authority: String) {
        self.configuration = configuration
        self.authority = authority
    }

    // MARK: State the pool reads

    /// Calls running on this connection.
    var activeStreamCount: Int { streams.count }

    /// The most streams this connection may carry: our cap or the peer's, whichever is lower.
    var streamLimit: Int { min(configuration.maximumConcurrentStreamsPerConnection, remoteStreamLimit) }

    /// Whether a new call may start here now.
    var canStartCall: Bool {
        context != nil && session != nil && goAwayLastStreamID == nil && streams.count < streamLimit
    }

    /// Received bytes held in reassembly or not yet given back to the window, plus queued request bytes.
    var bufferedBytes: Int {
        streams.reduce(0) { $0 + $1.value.assembler.bufferedBytes } + heldBytes.values.reduce(0, +)
            + (session.map { session in streams.keys.reduce(0) { $0 + session.queuedBodyBytes(streamID: $1) } } ?? 0)
    }

    // MARK: Calls

    /// Starts `call` on a new stream. The caller checked ``canStartCall``. Its frames are written at the end
    /// of this event-loop turn, with those of the other calls the turn started: requests read from many
    /// client connections in one turn reach the backend in one write.
    func start(_ call: GRPCClientCall) {
        guard let session else {
            call.complete(.failure(.unavailable("connection closed", retryable: true)))
            return
        }
        let timeout = call.options.deadline.map { $0 - .now() }
        let headers = GRPCRequestHead.fields(
            path: call.path,
            scheme: configuration.tls == nil ? "http" : "https",
            authority: authority,
            userAgent: configuration.userAgent,
            timeout: timeout,
            metadata: call.options.metadata
        )
        do {
            let initial = call.requests?.takePending()
            let streamID = try session.submitRequest(
                headers: headers, body: initial?.body ?? call.framedRequest, endStream: initial?.ended ?? true
            )
            streams[streamID] = call
            if let deadline = call.options.deadline, let loop = context?.eventLoop { deadlines.arm(for: deadline, on: loop) }
            call.requests?.attach(handler: self, streamID: streamID)
            call.placement = .active(handler: self, streamID: streamID)
            call.attempts += 1
            idleSince = nil
            if keepaliveTask == nil { scheduleKeepalive() }
            scheduleFlush()
        } catch {
            let wasTakingStreams = goAwayLastStreamID == nil
            goAwayLastStreamID = goAwayLastStreamID ?? Int32.max
            call.complete(.failure(.unavailable("connection cannot open more streams", retryable: true, cause: "\(error)")))
            if wasTakingStreams { delegate?.connectionGoingAway(self) } else { delegate?.connectionCapacityChanged(self) }
        }
    }

    /// Queues more of a streaming request's body (framed messages); what the window allows is written at the
    /// end of this event-loop turn, with the other messages of the turn.
    func sendRequest(_ framed: ByteBuffer, streamID: Int32) {
        session?.sendData(streamID: streamID, bytes: framed)
        scheduleFlush()
    }

    /// Ends a streaming request (END_STREAM after what is queued).
    func finishRequest(streamID: Int32) {
        session?.finishBody(streamID: streamID)
        scheduleFlush()
    }

    /// Flushes once at the end of this event-loop turn: a writer's sends may come from inside a flush (a
    /// resumed send's callback), where the connection cannot drive again, and a burst of messages shares one
    /// write.
    private func scheduleFlush() {
        guard !isFlushScheduled, let loop = context?.eventLoop else { return }
        isFlushScheduled = true
        loop.assumeIsolated().execute { [weak self] in
            guard let self else { return }
            self.isFlushScheduled = false
            self.flush()
        }
    }

    /// The request bytes of a stream not yet written to the connection.
    func queuedRequestBytes(streamID: Int32) -> Int {
        session?.queuedBodyBytes(streamID: streamID) ?? 0
    }

    /// A streaming request's writer waits for its queue to drain; checked after each write.
    func noteWaitingWriter(streamID: Int32?) {
        if let streamID { waitingWriters.insert(streamID) }
    }

    /// Resets a stream with `CANCEL` and forgets its call (which the caller completes).
    func reset(streamID: Int32) {
        guard streams.removeValue(forKey: streamID) != nil else { return }
        session?.resetStream(streamID: streamID, errorCode: NGHTTP2Session.ErrorCode.cancel)
        release(streamID: streamID, bytes: heldBytes.removeValue(forKey: streamID) ?? 0)
        streamsChanged()
        flush()
    }

    /// Closes the connection after telling the peer with GOAWAY.
    func close() {
        guard let context else { return }
        driver?.goAway(lastStreamID: 0)
        flush()
        context.close(promise: nil)
    }

    // MARK: ChannelHandler

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        do {
            let session = try NGHTTP2Session(
                role: .client,
                settings: NGHTTP2Session.Settings(
                    maxConcurrentStreams: nil,
                    initialStreamWindowSize: configuration.streamWindowSize,
                    connectionWindowSize: Int32(clamping: configuration.connectionWindowSize),
                    automaticWindowUpdates: false
                ),
                allocator: context.channel.allocator
            )
            driver = HTTP2ConnectionDriver(session: session)
        } catch {
            context.close(promise: nil)
        }
        if context.channel.isActive { flush() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failAll(.unavailable("connection closed", retryable: false))
        cancelTimers()
        driver = nil
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        flush()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(.unavailable("connection to upstream lost", retryable: false))
        cancelTimers()
        driver?.channelClosed()
        driver = nil
        self.context = nil
        delegate?.connectionClosed(self)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let driver else { return }
        _ = driver.receive(unwrapInboundIn(data))
        flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    // MARK: Events

    /// Handles what nghttp2 reported and writes what it queued (``HTTP2ConnectionDriver``).
    private func flush() {
        guard let driver, let context else { return }
        switch driver.drive(context: context, handle: handle) {
        case .running:
            if !waitingWriters.isEmpty { resumeWriters() }
        case .finished:
            context.close(promise: nil)
        case .failed:
            failAll(.protocolViolation(.internal, "upstream broke the HTTP/2 protocol"))
            context.close(promise: nil)
        }
    }

    private func handle(_ event: NGHTTP2Session.Event) {
        switch event {
        case .headers(let streamID, let kind, let fields):
            guard let call = streams[streamID] else { return }
            do {
                try call.assembler.receiveHeaders(fields, kind: kind)
            } catch {
                abort(streamID: streamID, call: call, error: error)
            }
        case .data(let streamID, let bytes):
            receive(bytes, on: streamID)
        case .endOfStream:
            break
        case .streamClosed(let streamID, let errorCode):
            guard let call = streams.removeValue(forKey: streamID) else { return }
            release(streamID: streamID, bytes: heldBytes.removeValue(forKey: streamID) ?? 0)
            let refused = goAwayLastStreamID.map { streamID > $0 } ?? false
            call.complete(call.assembler.finish(errorCode: errorCode, refusedByGoAway: refused))
            streamsChanged()
        case .goAway(let lastStreamID, _):
            let wasTakingStreams = goAwayLastStreamID == nil
            goAwayLastStreamID = lastStreamID
            if wasTakingStreams { delegate?.connectionGoingAway(self) } else { delegate?.connectionCapacityChanged(self) }
        case .remoteSettings(let maxConcurrentStreams):
            remoteStreamLimit = Int(clamping: maxConcurrentStreams)
            delegate?.connectionCapacityChanged(self)
        case .pingAcknowledged:
            pingTimeoutTask?.cancel()
            pingTimeoutTask = nil
        case .oversizedHeaders, .peerMisbehaved:
            break
        }
    }

    private func receive(_ bytes: ByteBuffer, on streamID: Int32) {
        let length = bytes.readableBytes
        guard let call = streams[streamID], let allocator = context?.channel.allocator else {
            session?.consume(streamID: streamID, bytes: length)
            return
        }
        heldBytes[streamID, default: 0] += length
        do {
            let messages = try call.assembler.receiveData(bytes, allocator: allocator)
            guard !messages.isEmpty else { return }
            let releaseNow = try call.deliver(messages, handler: self, streamID: streamID)
            release(streamID: streamID, bytes: releaseNow)
        } catch {
            abort(streamID: streamID, call: call, error: error)
        }
    }

    /// Completes the sends of request writers whose queues have drained.
    private func resumeWriters() {
        for streamID in waitingWriters where !(streams[streamID]?.requests?.resume() ?? false) {
            waitingWriters.remove(streamID)
        }
    }

    /// Gives received bytes back to the peer's windows.
    func release(streamID: Int32, bytes: Int) {
        guard bytes > 0, let session else { return }
        if let held = heldBytes[streamID] {
            heldBytes[streamID] = held > bytes ? held - bytes : nil
        }
        session.consume(streamID: streamID, bytes: bytes)
        flush()
    }

    private func abort(streamID: Int32, call: GRPCClientCall, error: GRPCCallError) {
        reset(streamID: streamID)
        call.fail(error)
    }

    private func failAll(_ error: GRPCCallError) {
        let failed = streams
        streams.removeAll()
        heldBytes.removeAll()
        for (streamID, call) in failed.sorted(by: { $0.key < $1.key }) {
            var error = error
            if let last = goAwayLastStreamID, streamID > last, !call.assembler.receivedAnything {
                error = .unavailable("upstream went away before processing the call", retryable: true)
            }
            call.complete(.failure(error))
        }
    }

    private func streamsChanged() {
        if streams.isEmpty { scheduleIdleClose() }
        delegate?.connectionCapacityChanged(self)
    }

    // MARK: Timers

    private func scheduleKeepalive() {
        guard let interval = configuration.keepaliveInterval, let loop = context?.eventLoop else { return }
        keepaliveTask = loop.assumeIsolated().scheduleTask(in: interval) { [weak self] in
            self?.keepaliveFired()
        }
    }

    private func keepaliveFired() {
        keepaliveTask = nil
        guard !streams.isEmpty, let session, let loop = context?.eventLoop else { return }
        if pingTimeoutTask == nil {
            session.submitPing()
            pingTimeoutTask = loop.assumeIsolated().scheduleTask(in: configuration.keepaliveTimeout) { [weak self] in
                self?.keepaliveTimedOut()
            }
            flush()
        }
        scheduleKeepalive()
    }

    private func keepaliveTimedOut() {
        pingTimeoutTask = nil
        failAll(.unavailable("upstream did not answer keepalive PING", retryable: false))
        context?.close(promise: nil)
    }

    private func scheduleIdleClose() {
        let now = self.now
        idleSince = now
        if idleTask == nil { armIdleTimer(at: now + configuration.idleTimeout) }
    }

    private func armIdleTimer(at due: NIODeadline) {
        guard let loop = context?.eventLoop else { return }
        idleTask = loop.assumeIsolated().scheduleTask(deadline: due) { [weak self] in
            self?.idleTimerFired()
        }
    }

    private func idleTimerFired() {
        idleTask = nil
        guard streams.isEmpty, let idleSince else { return }
        let due = idleSince + configuration.idleTimeout
        if due <= now {
            close()
        } else {
            armIdleTimer(at: due)
        }
    }

    private func cancelTimers() {
        for task in [keepaliveTask, pingTimeoutTask, idleTask] { task?.cancel() }
        deadlines.cancel()
        keepaliveTask = nil
        pingTimeoutTask = nil
        idleTask = nil
        idleSince = nil
    }
}
