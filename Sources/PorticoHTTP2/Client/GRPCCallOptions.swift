public import PorticoCore
import NIOCore

/// Per-call settings: the deadline and the custom metadata sent as request headers.
public struct GRPCCallOptions: Sendable {
    /// When the call must be over; sent as `grpc-timeout` and enforced locally with `RST_STREAM(CANCEL)`.
    public var deadline: NIODeadline?
    /// Custom metadata; `-bin` entries are base64-encoded on the wire.
    public var metadata: GRPCMetadata

    /// Options with an optional deadline and metadata.
    public init(deadline: NIODeadline? = nil, metadata: GRPCMetadata = GRPCMetadata()) {
        self.deadline = deadline
        self.metadata = metadata
    }

    /// Options whose deadline is `timeout` from now.
    public static func timeout(_ timeout: TimeAmount, metadata: GRPCMetadata = GRPCMetadata()) -> GRPCCallOptions {
        GRPCCallOptions(deadline: .now() + timeout, metadata: metadata)
    }
}

/// The result of a successful unary call.
public struct GRPCUnaryResponse: Sendable {
    /// Response header metadata.
    public var headers: GRPCMetadata
    /// The response message bytes (decompressed).
    public var message: ByteBuffer
    /// Trailer metadata.
    public var trailers: GRPCMetadata

    /// A response: the initial metadata, the message and the trailing metadata.
    public init(headers: GRPCMetadata = GRPCMetadata(), message: ByteBuffer, trailers: GRPCMetadata = GRPCMetadata()) {
        self.headers = headers
        self.message = message
        self.trailers = trailers
    }
}

/// The end of a successful server-streaming call; the messages went to the call's message handler.
public struct GRPCStreamSummary: Sendable {
    /// Response header metadata.
    public var headers: GRPCMetadata
    /// Trailer metadata.
    public var trailers: GRPCMetadata
    /// How many messages were delivered.
    public var messageCount: Int

    /// A finished stream: its metadata and how many messages it carried.
    public init(headers: GRPCMetadata = GRPCMetadata(), trailers: GRPCMetadata = GRPCMetadata(), messageCount: Int) {
        self.headers = headers
        self.trailers = trailers
        self.messageCount = messageCount
    }
}

/// A started call: its eventual result and a way to cancel it.
public struct GRPCCall<Response: Sendable>: Sendable {
    /// Succeeds with the response, or fails with a ``GRPCCallError``.
    public let response: EventLoopFuture<Response>
    private let canceller: any CancellableWork

    /// A call whose cancellation is `canceller`'s (another implementation of a backend call, such as an
    /// in-memory one in tests).
    public init(response: EventLoopFuture<Response>, canceller: any CancellableWork) {
        self.response = response
        self.canceller = canceller
    }

    /// Cancels the call: the stream is reset with `CANCEL` and ``response`` fails with `CANCELLED`.
    /// Does nothing once the call is over.
    public func cancel() {
        canceller.cancel()
    }

    /// The call's cancellation as work to register with a request (``cancel()`` without the response).
    public var cancellation: any CancellableWork { canceller }
}

/// Reaches a call on its event loop from any thread.
///
/// `@unchecked Sendable`: ``call`` is read and written on ``eventLoop`` only (checked), as a
/// `NIOLoopBoundBox` would hold it, without a second object per call.
final class GRPCCallCanceller: CancellableWork, @unchecked Sendable {
    private let eventLoop: any EventLoop
    private var call: GRPCClientCall?

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Attaches the call; on its event loop.
    func attach(_ call: GRPCClientCall) {
        eventLoop.preconditionInEventLoop()
        self.call = call
    }

    func cancel() {
        if eventLoop.inEventLoop {
            cancelCall()
        } else {
            eventLoop.execute { self.cancelCall() }
        }
    }

    private func cancelCall() {
        call?.cancel(.local(.cancelled, "call cancelled by the caller"))
    }
}
