import NIOCore

/// Where an HTTP/2 connection is in its life; one machine for the client and the server ends.
package enum HTTP2ConnectionState: Equatable, Sendable {
    /// Streams run and new ones may start.
    case open
    /// A server's graceful shutdown has begun: a GOAWAY naming the largest stream id and a PING are out, and
    /// the final GOAWAY follows the PING's acknowledgement.
    case shuttingDown
    /// A GOAWAY was sent or received: the streams already open finish, no new one starts.
    case goingAway
    /// The session is over (GOAWAY both ways and no stream left, or the peer was cut off for abuse): nothing
    /// more is read or written.
    case finished
    /// The session failed, or the channel closed.
    case closed
}

/// The nghttp2 drive loop every HTTP/2 connection handler runs (the gRPC client and server, the public
/// listener), with the connection's state.
///
/// nghttp2 records events while it reads and queues frames while events are handled, so one turn is: hand
/// every event to the handler, take what nghttp2 wants sent, write it, and again until neither is left. A
/// call made from inside the handler (a response submitted while an event is handled) returns at once; the
/// running turn picks its work up. Confined to the channel's event loop.
package final class HTTP2ConnectionDriver {
    /// What a turn of ``drive(context:handle:)`` ended in.
    package enum Outcome: Equatable {
        /// The connection goes on.
        case running
        /// The session has just finished (``HTTP2ConnectionState/finished``).
        case finished
        /// nghttp2 failed; the connection must close.
        case failed
    }

    package let session: NGHTTP2Session
    package private(set) var state = HTTP2ConnectionState.open
    /// Whether output waits while the channel is not writable (a peer that does not read holds its answers
    /// in the session, not in the channel's buffer); the handler then drives again once it is writable.
    private let holdsOutputWhileUnwritable: Bool
    private var isDriving = false

    package init(session: NGHTTP2Session, holdsOutputWhileUnwritable: Bool = false) {
        self.session = session
        self.holdsOutputWhileUnwritable = holdsOutputWhileUnwritable
    }

    /// Feeds received bytes to nghttp2; `false` when the peer broke the protocol and the session failed.
    package func receive(_ bytes: ByteBuffer) -> Bool {
        guard state == .open || state == .shuttingDown || state == .goingAway else { return false }
        do {
            try session.receive(bytes)
            return true
        } catch {
            state = .closed
            return false
        }
    }

    /// Runs one turn: every event to `handle`, every queued frame to the channel, flushed once. After a failed
    /// ``receive(_:)`` the events recorded before the failure are still handed out, then `.failed`.
    package func drive(context: ChannelHandlerContext, handle: (NGHTTP2Session.Event) -> Void) -> Outcome {
        guard !isDriving else { return .running }
        isDriving = true
        defer { isDriving = false }
        var wrote = false
        var failed = false
        while true {
            while let event = session.nextEvent() {
                observe(event)
                handle(event)
            }
            if state == .closed {
                // A session that failed on what it read may still have queued a GOAWAY saying why.
                if let farewell = try? session.pendingOutput() {
                    context.write(NIOAny(farewell), promise: nil)
                    wrote = true
                }
                failed = true
                break
            }
            if holdsOutputWhileUnwritable, !context.channel.isWritable { break }
            let output: ByteBuffer?
            do {
                output = try session.pendingOutput()
            } catch {
                failed = true
                break
            }
            guard let output else {
                if session.hasEvents { continue }
                break
            }
            context.write(NIOAny(output), promise: nil)
            wrote = true
        }
        if wrote { context.flush() }
        if failed {
            state = .closed
            return .failed
        }
        if state == .open || state == .shuttingDown || state == .goingAway, !session.isAlive {
            state = .finished
            return .finished
        }
        return .running
    }

    /// Begins a server's graceful shutdown (RFC 9113 §6.8): a GOAWAY naming the largest stream id, so no
    /// request the client sent before seeing it is lost, and a PING. The final GOAWAY (``goAway(lastStreamID:errorCode:)``)
    /// goes out when the PING is acknowledged, or when the caller gives up waiting and calls it.
    package func announceShutdown() {
        guard state == .open else { return }
        session.submitShutdownNotice()
        session.submitPing()
        state = .shuttingDown
    }

    /// Sends GOAWAY naming `lastStreamID` (by default the last stream the peer opened and this end
    /// processed): the streams open finish, new ones are refused.
    package func goAway(lastStreamID: Int32? = nil, errorCode: UInt32 = NGHTTP2Session.ErrorCode.noError) {
        guard state == .open || state == .shuttingDown else { return }
        session.submitGoAway(lastStreamID: lastStreamID ?? session.lastProcessedStreamID, errorCode: errorCode)
        state = .goingAway
    }

    /// Records that the channel has closed.
    package func channelClosed() {
        state = .closed
    }

    private func observe(_ event: NGHTTP2Session.Event) {
        switch event {
        case .goAway, .peerMisbehaved:
            if state == .open || state == .shuttingDown { state = .goingAway }
        case .pingAcknowledged:
            if state == .shuttingDown { goAway() }
        default:
            break
        }
    }
}
