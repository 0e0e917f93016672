import NIOCore
import PorticoConfig
import PorticoCore

/// Relays one server stream from its backend call to the client as the messages arrive, confined to the
/// connection's event loop.
///
/// - The head is answered with the first message (or, for Server-Sent Events, the first heartbeat): until
///   then a failure is answered whole, with its own status. After it, the stream ends in the format's way
///   (``StreamFormat``).
/// - Backpressure: each message's future (``receive(_:)``) completes once the client has taken its chunk,
///   and the backend call gives the message's bytes back to its HTTP/2 window only then, so a slow reader
///   pauses the backend and the relay holds at most a window's worth of messages.
/// - Timeouts and limits (``StreamSettings``): no message for `idle_timeout` (time the client spends not
///   reading does not count) ends the stream `DEADLINE_EXCEEDED`; more than `max_messages` or `max_bytes`
///   ends it `RESOURCE_EXHAUSTED`; either way the backend call is cancelled.
/// - A client that goes away cancels the backend call through the request's cancellation; ``cancel()`` does
///   the same when the listener will not write the body.
final class ServerStreamRelay {
    /// How a finished call is answered.
    enum Completion {
        /// The stream was relayed (its head is out): nothing more to answer.
        case streamed
        /// Nothing was relayed: the call's outcome is answered whole, an error or (`nil`) an empty stream.
        case whole(GatewayError?)
    }

    /// What a relayed stream amounted to, once it is over.
    struct Outcome {
        var messages: Int
        var bytes: Int
        /// Why it ended early: the backend's error, a limit, or the client leaving; `nil` when complete.
        var failure: GatewayError?
    }

    private enum Phase {
        case opening
        case open
        case closed
    }

    private enum Ending {
        case finish
        case abort
    }

    let format: StreamFormat
    private let settings: StreamSettings
    private let eventLoop: any EventLoop
    /// A backend message as the client's JSON (or raw bytes), with its content type for raw bodies.
    private let encode: (ByteBuffer) throws(GatewayError) -> (data: ByteBuffer, contentType: String?)
    /// An error as the `google.rpc.Status` JSON the client may see.
    private let render: (GatewayError) -> ByteBuffer
    /// Called once, when the head can be answered, with the content type.
    var onCommit: ((String) -> Void)?
    /// Called once, when a relayed stream is over.
    var onEnd: ((Outcome) -> Void)?

    private var phase = Phase.opening
    private var sink: (any ResponseBodySink)?
    private var queue = CircularBuffer<(chunk: ByteBuffer, taken: EventLoopPromise<Void>?)>()
    private var ending: Ending?
    private var outcome: Outcome?
    private var messages = 0
    private var bytes = 0
    private var unfinishedWrites = 0
    private var lastMessage: NIODeadline
    private var lastWrite: NIODeadline
    private var timer: Scheduled<Void>?
    private var call: (any CancellableWork)?
    /// The relay's own reason to end the stream (a timeout, a limit, a message it could not write).
    private var localFailure: GatewayError?

    init(
        format: StreamFormat,
        settings: StreamSettings,
        eventLoop: any EventLoop,
        encode: @escaping (ByteBuffer) throws(GatewayError) -> (data: ByteBuffer, contentType: String?),
        render: @escaping (GatewayError) -> ByteBuffer
    ) {
        self.format = format
        self.settings = settings
        self.eventLoop = eventLoop
        self.encode = encode
        self.render = render
        let now = NIODeadline.now()
        lastMessage = now
        lastWrite = now
        armTimer()
    }

    /// The backend call now running (a retry replaces the attempt before it).
    func attach(_ call: any CancellableWork) {
        self.call = call
        if localFailure != nil || phase == .closed { call.cancel() }
    }

    /// Takes one backend message; the future completes when the client has taken it.
    func receive(_ message: ByteBuffer) -> EventLoopFuture<Void>? {
        guard phase != .closed, localFailure == nil else { return nil }
        messages += 1
        if let limit = settings.maxMessages, messages > limit {
            stop(GatewayError(code: .resourceExhausted, message: "the stream passed its limit of \(limit) messages", source: .gateway))
            return nil
        }
        let encoded: (data: ByteBuffer, contentType: String?)
        do {
            encoded = try encode(message)
        } catch {
            stop(error)
            return nil
        }
        let chunk = format.element(encoded.data, index: messages - 1)
        if let limit = settings.maxBytes, bytes + queuedBytes + chunk.readableBytes > limit {
            stop(GatewayError(code: .resourceExhausted, message: "the stream passed its limit of \(limit) bytes", source: .gateway))
            return nil
        }
        lastMessage = .now()
        if phase == .opening { commit(contentType: encoded.contentType ?? format.contentType) }
        let taken = eventLoop.makePromise(of: Void.self)
        enqueue(chunk, taken: taken)
        return taken.futureResult
    }

    /// Ends the relay with the backend call's outcome (`nil` for a complete stream).
    func complete(_ failure: GatewayError?) -> Completion {
        timer?.cancel()
        timer = nil
        let failure = localFailure ?? failure
        switch phase {
        case .opening:
            phase = .closed
            onCommit = nil
            onEnd = nil
            return .whole(failure)
        case .closed:
            return .streamed
        case .open:
            if let failure {
                if let last = format.failure(render(failure)) {
                    enqueue(last, taken: nil)
                    close(.finish, failure: failure)
                } else {
                    close(.abort, failure: failure)
                }
            } else {
                if let end = format.end(count: messages) { enqueue(end, taken: nil) }
                close(.finish, failure: nil)
            }
            return .streamed
        }
    }

    /// Starts writing into the listener's sink (the head is out).
    func start(into sink: any ResponseBodySink) {
        guard self.sink == nil else { return }
        self.sink = sink
        pump()
    }

    /// The listener will not write the body: the backend call is cancelled and the stream is over.
    func cancel() {
        let gone = GatewayError(code: .cancelled, message: "the client closed the stream", source: .client)
        if localFailure == nil { localFailure = gone }
        call?.cancel()
        if phase != .closed { close(.abort, failure: gone) }
        while let pending = queue.popFirst() { pending.taken?.succeed() }
        report()
    }

    // MARK: Internals

    private var queuedBytes: Int { queue.reduce(0) { $0 + $1.chunk.readableBytes } }

    private func commit(contentType: String) {
        phase = .open
        onCommit?(contentType)
        onCommit = nil
    }

    /// Ends the stream for the relay's own reason; the call's completion then answers it.
    private func stop(_ failure: GatewayError) {
        localFailure = failure
        call?.cancel()
    }

    private func enqueue(_ chunk: ByteBuffer, taken: EventLoopPromise<Void>?) {
        queue.append((chunk, taken))
        lastWrite = .now()
        pump()
    }

    private func close(_ ending: Ending, failure: GatewayError?) {
        phase = .closed
        self.ending = ending
        outcome = Outcome(messages: min(messages, settings.maxMessages ?? .max), bytes: 0, failure: failure)
        pump()
    }

    /// Hands the queued chunks to the sink, and the ending after them.
    private func pump() {
        guard let sink else { return }
        while let (chunk, taken) = queue.popFirst() {
            unfinishedWrites += 1
            bytes += chunk.readableBytes
            sink.write(chunk).assumeIsolated().whenComplete { _ in
                self.unfinishedWrites -= 1
                taken?.succeed()
            }
        }
        guard let ending else { return }
        self.ending = nil
        switch ending {
        case .finish: sink.finish()
        case .abort: sink.abort()
        }
        report()
    }

    private func report() {
        guard var outcome, let onEnd else { return }
        outcome.bytes = bytes
        self.onEnd = nil
        onEnd(outcome)
    }

    /// One timer for the idle timeout and the heartbeat.
    private func armTimer() {
        guard phase != .closed else { return }
        var next = lastMessage + TimeAmount(settings.idleTimeout)
        if let heartbeat = settings.heartbeat, format.heartbeat != nil { next = min(next, lastWrite + TimeAmount(heartbeat)) }
        timer = eventLoop.assumeIsolated().scheduleTask(deadline: next) { self.tick() }
    }

    private func tick() {
        timer = nil
        guard phase != .closed, localFailure == nil else { return }
        let now = NIODeadline.now()
        if unfinishedWrites > 0 || !queue.isEmpty || (phase == .open && sink == nil) {
            lastMessage = now
        }
        if now >= lastMessage + TimeAmount(settings.idleTimeout) {
            stop(GatewayError(
                code: .deadlineExceeded, message: "the backend sent no message for \(settings.idleTimeout) (the stream's idle_timeout)",
                source: .gateway
            ))
            return
        }
        if let heartbeat = settings.heartbeat, let beat = format.heartbeat, now >= lastWrite + TimeAmount(heartbeat) {
            if phase == .opening { commit(contentType: format.contentType) }
            enqueue(beat, taken: nil)
        }
        armTimer()
    }
}

/// The relay as a response's body: the listener starts it on the connection's event loop.
struct RelayedBody: ResponseBodySource {
    let relay: NIOLoopBound<ServerStreamRelay>

    func start(into sink: any ResponseBodySink) {
        relay.value.start(into: sink)
    }

    func cancel() {
        relay.value.cancel()
    }
}
