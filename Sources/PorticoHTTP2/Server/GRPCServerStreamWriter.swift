import PorticoCore
import NIOCore

/// Sends the messages of one server-streaming response; usable from any thread.
///
/// The first message sends the response headers. Messages sent after the call ended (the client
/// cancelled or the handler finished) are dropped.
public final class GRPCServerStreamWriter: Sendable {
    private let target: NIOLoopBound<Target>

    final class Target {
        weak var handler: GRPCServerConnectionHandler?
        let streamID: Int32

        init(handler: GRPCServerConnectionHandler, streamID: Int32) {
            self.handler = handler
            self.streamID = streamID
        }
    }

    init(handler: GRPCServerConnectionHandler, streamID: Int32, eventLoop: any EventLoop) {
        target = NIOLoopBound(Target(handler: handler, streamID: streamID), eventLoop: eventLoop)
    }

    /// Queues one message.
    public func send(_ message: ByteBuffer) {
        if target.eventLoop.inEventLoop {
            target.value.handler?.sendStreamMessage(message, streamID: target.value.streamID)
        } else {
            let target = self.target
            target.eventLoop.execute { target.value.handler?.sendStreamMessage(message, streamID: target.value.streamID) }
        }
    }
}
