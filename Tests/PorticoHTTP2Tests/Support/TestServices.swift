import NIOCore
import PorticoCore
import PorticoHTTP2

/// The methods the tests call on Portico's own server, mirrored by `Tests/Fixtures/python/grpc_test_server.py`.
enum TestServices {
    static let unary = "/portico.test.Echo/Unary"
    static let stream = "/portico.test.Echo/Stream"
    static let fail = "/portico.test.Echo/Fail"
    static let slow = "/portico.test.Echo/Slow"
    static let bigStream = "/portico.test.Echo/BigStream"
    static let bigMessageSize = 64 * 1024

    /// `Unary` echoes the message and returns the request metadata as response headers and trailers;
    /// `Stream` sends as many 4-byte big-endian indices as the request's 4-byte count; `Fail` fails with the
    /// status code in the request's first byte, a message, details and a trailer; `Slow` answers only a
    /// second after the request's deadline; `BigStream` is `Stream` with 64 KiB messages.
    static var registry: GRPCServiceRegistry {
        var registry = GRPCServiceRegistry()
        registry.registerUnary(unary) { request in
            request.eventLoop.makeSucceededFuture(
                GRPCServerResponse(message: request.message, headers: request.metadata, trailers: request.metadata)
            )
        }
        registry.registerServerStreaming(stream) { request, writer in
            var message = request.message
            let count = message.readInteger(as: UInt32.self) ?? 0
            for index in 0..<count {
                var item = ByteBuffer()
                item.writeInteger(index)
                writer.send(item)
            }
            return request.eventLoop.makeSucceededFuture(["x-count": "\(count)"])
        }
        registry.registerServerStreaming(bigStream) { request, writer in
            var message = request.message
            for index in 0..<(message.readInteger(as: UInt32.self) ?? 0) {
                var item = ByteBuffer(repeating: UInt8(truncatingIfNeeded: index), count: bigMessageSize)
                item.setInteger(index, at: 0)
                writer.send(item)
            }
            return request.eventLoop.makeSucceededFuture(GRPCMetadata())
        }
        registry.registerUnary(fail) { request in
            var message = request.message
            let code = GRPCStatusCode(rawValue: Int(message.readInteger(as: UInt8.self) ?? 2))
            let status = GRPCStatus(code: code, message: "failed: \(code.name) ü 100%", details: [0, 1, 2, 255])
            return request.eventLoop.makeFailedFuture(GRPCServerError(status: status, trailers: ["x-failure": "yes"]))
        }
        registry.registerUnary(slow) { request in
            let deadline = (request.deadline ?? .now()) + .seconds(1)
            return request.eventLoop.scheduleTask(deadline: deadline) {
                GRPCServerResponse(message: request.message)
            }.futureResult
        }
        return registry
    }

    static func count(_ value: UInt32) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(value)
        return buffer
    }
}
