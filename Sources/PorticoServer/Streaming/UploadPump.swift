import NIOCore
import PorticoCore
import PorticoHTTP2

/// Sends a client stream's NDJSON body to the backend line by line as it arrives, confined to the
/// connection's event loop.
///
/// It takes the next chunk of the body only once the backend's request stream has taken the lines of the
/// one before (``GRPCRequestWriter``'s backpressure), so a slow backend slows the client down through the
/// listener's paused reading, and the gateway holds at most a line and a window. A line that is not a valid
/// message, one longer than the route's body limit, or a body over it ends the upload: the call is
/// cancelled and the failure (``failure``) is the answer.
final class UploadPump {
    private let body: RequestBodyStream
    private let requests: GRPCRequestWriter
    private let encode: (ByteBuffer) throws(GatewayError) -> ByteBuffer
    private let maxBytes: Int
    private var splitter: NDJSONLineSplitter
    private var received = 0
    /// Cancels the backend call.
    private let cancel: () -> Void
    /// Why the upload stopped, when it was the pump's own reason.
    private(set) var failure: GatewayError?

    init(
        body: RequestBodyStream,
        requests: GRPCRequestWriter,
        maxBytes: Int,
        encode: @escaping (ByteBuffer) throws(GatewayError) -> ByteBuffer,
        cancel: @escaping () -> Void
    ) {
        self.body = body
        self.requests = requests
        self.maxBytes = maxBytes
        self.encode = encode
        self.cancel = cancel
        splitter = NDJSONLineSplitter(maxLineBytes: maxBytes)
    }

    /// Starts reading the body.
    func start() {
        body.next().assumeIsolated().whenComplete { result in
            switch result {
            case .failure:
                self.stop(GatewayError(code: .cancelled, message: "the request body broke off", source: .client))
            case .success(nil):
                if let last = self.splitter.finish(), self.send(last.line, number: last.number) == nil { return }
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
        let lines: [(line: ByteBuffer, number: Int)]
        do {
            lines = try splitter.feed(chunk)
        } catch {
            stop(error)
            return
        }
        var taken = body.eventLoop.makeSucceededVoidFuture()
        for (line, number) in lines {
            guard let sent = send(line, number: number) else { return }
            taken = sent
        }
        taken.assumeIsolated().whenComplete { result in
            if case .success = result { self.start() }
        }
    }

    /// Sends one line as a message; `nil` when it is not a valid one (the upload then stops).
    private func send(_ line: ByteBuffer, number: Int) -> EventLoopFuture<Void>? {
        do {
            return requests.send(try encode(line))
        } catch {
            var located = error
            located.message = "line \(number): \(error.message)"
            stop(located)
            return nil
        }
    }

    private func stop(_ failure: GatewayError) {
        guard self.failure == nil else { return }
        self.failure = failure
        body.fail(failure)
        cancel()
    }
}
