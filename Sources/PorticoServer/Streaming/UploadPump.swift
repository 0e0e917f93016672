import NIOCore
import PorticoCore
import PorticoHTTP2

/// Sends a client stream's body to the backend message by message as it arrives (NDJSON lines or a JSON
/// array's elements, ``ClientStreamSplitter``), confined to the connection's event loop.
///
/// It takes the next chunk of the body only once the backend's request stream has taken the messages of the
/// one before (``GRPCRequestWriter``'s backpressure), so a slow backend slows the client down through the
/// listener (paused reading on HTTP/1.1, the stream's flow-control window on HTTP/2), and the gateway holds at
/// most a message and a window. A piece that is not a valid message, one longer than the route's body limit,
/// or a body over it ends the upload: the call is cancelled and the failure (``failure``) is the answer. So
/// does a client that sends nothing for the route's stream `idle_timeout` while the pump waits for it (408):
/// the listener's body clock does not run for a body that may last as long as a stream.
final class UploadPump {
    private let body: RequestBodyStream
    private let requests: GRPCRequestWriter
    private let encode: (ByteBuffer) throws(GatewayError) -> ByteBuffer
    private let maxBytes: Int
    private let idleTimeout: Duration
    private var idleTimer: Scheduled<Void>?
    private var splitter: any ClientStreamSplitter
    private var received = 0
    /// Cancels the backend call.
    private let cancel: () -> Void
    /// Why the upload stopped, when it was the pump's own reason.
    private(set) var failure: GatewayError?

    init(
        body: RequestBodyStream,
        splitter: any ClientStreamSplitter,
        requests: GRPCRequestWriter,
        maxBytes: Int,
        idleTimeout: Duration,
        encode: @escaping (ByteBuffer) throws(GatewayError) -> ByteBuffer,
        cancel: @escaping () -> Void
    ) {
        self.body = body
        self.requests = requests
        self.maxBytes = maxBytes
        self.idleTimeout = idleTimeout
        self.encode = encode
        self.cancel = cancel
        self.splitter = splitter
    }

    /// Starts reading the body.
    func start() {
        let idleTimeout = self.idleTimeout
        idleTimer = body.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(idleTimeout)) {
            self.stop(GatewayError(
                code: .deadlineExceeded, message: "no part of the request body arrived for \(idleTimeout) (the stream's idle_timeout)",
                source: .client, httpStatus: 408
            ))
        }
        body.next().assumeIsolated().whenComplete { result in
            self.idleTimer?.cancel()
            self.idleTimer = nil
            switch result {
            case .failure:
                self.stop(GatewayError(code: .cancelled, message: "the request body broke off", source: .client))
            case .success(nil):
                guard self.send({ () throws(GatewayError) in try self.splitter.finish() }) != nil else { return }
                self.requests.finish()
            case .success(let chunk?):
                self.take(chunk)
            }
        }
    }

    private func take(_ chunk: ByteBuffer) {
        received += chunk.readableBytes
        guard received <= maxBytes else {
            stop(GatewayError(
                code: .resourceExhausted, message: "the request body is larger than \(maxBytes) bytes", source: .client, httpStatus: 413
            ))
            return
        }
        guard let sent = send({ () throws(GatewayError) in try self.splitter.feed(chunk) }) else { return }
        sent.assumeIsolated().whenSuccess { self.start() }
    }

    /// Sends the pieces `split` cuts as messages; the future completes once the backend's stream has taken
    /// them. `nil` when the body is malformed or a piece is not a valid message (the upload then stops).
    private func send(_ split: () throws(GatewayError) -> [ClientStreamBody.Piece]) -> EventLoopFuture<Void>? {
        let pieces: [ClientStreamBody.Piece]
        do {
            pieces = try split()
        } catch {
            stop(error)
            return nil
        }
        var taken = body.eventLoop.makeSucceededVoidFuture()
        for piece in pieces {
            do {
                taken = requests.send(try encode(piece.json))
            } catch {
                var located = error
                located.message = "\(piece.position): \(error.message)"
                stop(located)
                return nil
            }
        }
        return taken
    }

    private func stop(_ failure: GatewayError) {
        guard self.failure == nil else { return }
        self.failure = failure
        idleTimer?.cancel()
        idleTimer = nil
        body.fail(failure)
        cancel()
    }
}
