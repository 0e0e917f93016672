import NIOConcurrencyHelpers
import NIOCore
import PorticoCodec
import PorticoCore
import PorticoSchema
import PorticoHTTP2
import PorticoServer

/// A backend in memory, for pipeline tests without sockets: unary and server-streaming methods answered by
/// handlers keyed by gRPC path, on the caller's event loop. It records every call it receives; a path with no
/// handler answers `UNIMPLEMENTED`, as a gRPC server does. Like the demo backends it serves the standard health
/// service (`SERVING`), whose probes it does not record.
package final class InMemoryUpstream: UpstreamClient, Sendable {
    /// One call as the backend received it.
    package struct Call: Sendable {
        /// `/package.Service/Method`.
        package var path: String
        /// The request messages: one for a unary or server-streaming call.
        package var requests: [ByteBuffer]
        /// The (first) request message.
        package var request: ByteBuffer { requests.first ?? ByteBuffer() }
        /// The metadata and deadline the gateway sent.
        package var options: GRPCCallOptions
    }

    /// Answers a unary call with a response message or a status.
    package typealias UnaryHandler = @Sendable (Call) -> Result<ByteBuffer, GRPCCallError>
    /// Answers a server-streaming call with its messages or a status.
    package typealias StreamHandler = @Sendable (Call) -> Result<[ByteBuffer], GRPCCallError>

    private let eventLoop: any EventLoop
    private let unaryHandlers: [String: UnaryHandler]
    private let streamHandlers: [String: StreamHandler]
    private let calls = NIOLockedValueBox<[Call]>([])
    private static let health = try? HealthCheckCodec()

    /// A backend answering on the caller's event loop, or on `eventLoop` when the caller names none.
    package init(eventLoop: any EventLoop, unary: [String: UnaryHandler] = [:], streaming: [String: StreamHandler] = [:]) {
        self.eventLoop = eventLoop
        unaryHandlers = unary
        streamHandlers = streaming
    }

    /// The calls received so far, in order.
    package var received: [Call] { calls.withLockedValue { $0 } }

    package func unary(_ path: String, requests: [ByteBuffer], options: GRPCCallOptions, on eventLoop: (any EventLoop)?) -> GRPCCall<GRPCUnaryResponse> {
        let loop = eventLoop ?? self.eventLoop
        if path == GRPCHealthProto.checkPath, let codec = Self.health, let serving = try? codec.response(.serving) {
            return GRPCCall(response: loop.makeSucceededFuture(GRPCUnaryResponse(message: serving)), canceller: Finished())
        }
        let call = record(path, requests, options)
        let result = unaryHandlers[path].map { $0(call) } ?? .failure(Self.unimplemented(path))
        let response: EventLoopFuture<GRPCUnaryResponse> = switch result {
        case .success(let message): loop.makeSucceededFuture(GRPCUnaryResponse(message: message))
        case .failure(let error): loop.makeFailedFuture(error)
        }
        return GRPCCall(response: response, canceller: Finished())
    }

    package func serverStreaming(
        _ path: String,
        requests: [ByteBuffer],
        options: GRPCCallOptions,
        on eventLoop: (any EventLoop)?,
        onMessage: @escaping @Sendable (ByteBuffer) -> EventLoopFuture<Void>?
    ) -> GRPCCall<GRPCStreamSummary> {
        let call = record(path, requests, options)
        let loop = eventLoop ?? self.eventLoop
        let result = streamHandlers[path].map { $0(call) } ?? .failure(Self.unimplemented(path))
        let response: EventLoopFuture<GRPCStreamSummary> = switch result {
        case .success(let messages):
            loop.makeSucceededFuture(()).map {
                for message in messages { _ = onMessage(message) }
                return GRPCStreamSummary(messageCount: messages.count)
            }
        case .failure(let error):
            loop.makeFailedFuture(error)
        }
        return GRPCCall(response: response, canceller: Finished())
    }

    /// Collects the request messages until the request ends, then answers as a server-streaming handler does.
    package func streamingCall(
        _ path: String,
        options: GRPCCallOptions,
        on eventLoop: (any EventLoop)?,
        onMessage: @escaping @Sendable (ByteBuffer) -> EventLoopFuture<Void>?
    ) -> (call: GRPCCall<GRPCStreamSummary>, requests: GRPCRequestWriter) {
        let loop = eventLoop ?? self.eventLoop
        let promise = loop.makePromise(of: GRPCStreamSummary.self)
        let received = NIOLoopBoundBox([ByteBuffer](), eventLoop: loop)
        let writer = GRPCRequestWriter(eventLoop: loop, send: { received.value.append($0) }, finish: {
            let call = self.record(path, received.value, options)
            switch self.streamHandlers[path].map({ $0(call) }) ?? .failure(Self.unimplemented(path)) {
            case .success(let messages):
                for message in messages { _ = onMessage(message) }
                promise.succeed(GRPCStreamSummary(messageCount: messages.count))
            case .failure(let error):
                promise.fail(error)
            }
        })
        return (GRPCCall(response: promise.futureResult, canceller: Finished()), writer)
    }

    /// No connections: the calls run in memory.
    package func statistics() -> EventLoopFuture<GRPCClientStatistics> {
        eventLoop.makeSucceededFuture(.zero)
    }

    package func close() -> EventLoopFuture<Void> {
        eventLoop.makeSucceededVoidFuture()
    }

    /// A status the backend sends, as the gateway's client reports it.
    package static func status(_ code: GRPCStatusCode, _ message: String, details: [UInt8]? = nil) -> GRPCCallError {
        GRPCCallError(status: GRPCStatus(code: code, message: message, details: details), kind: .status)
    }

    private func record(_ path: String, _ requests: [ByteBuffer], _ options: GRPCCallOptions) -> Call {
        let call = Call(path: path, requests: requests, options: options)
        calls.withLockedValue { $0.append(call) }
        return call
    }

    private static func unimplemented(_ path: String) -> GRPCCallError {
        status(.unimplemented, "no handler for \(path)")
    }

    /// An in-memory call is over as soon as it starts: there is nothing to cancel.
    private struct Finished: CancellableWork {
        func cancel() {}
    }
}
