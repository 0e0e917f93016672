// The floor under Portico's HTTP/1.1 listener: two SwiftNIO servers on one event loop that answer every GET with
// the same fixed JSON, doing none of a gateway's work. `nio-http1` uses the HTTP/1.1 handlers Portico's listener
// uses (NIO's parser and encoder, pipelining assistance, outbound header validation); `raw` only counts request
// heads in the bytes it reads and writes the canned answers, one write per read. `Benchmarks/profile/floor.sh`
// loads both next to Envoy answering the same body with a `direct_response`, and prints CPU µs per request.
//
// Usage: HTTP1Floor nio-http1|raw PORT
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import NIOCore
import NIOHTTP1
import NIOPosix

/// The body every server answers: the size of the gateway's answer to `GET /v1/users/u1`.
let body = #"{"id":"u1","name":"Ada Lovelace","email":"ada@example.com","createTime":"2026-01-01T00:00:00Z","roles":["admin","reader"],"active":true}"#

/// Answers each whole request with head, body and end, the way Portico's `HTTPGatewayHandler` writes an answer.
final class FixedAnswerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let headers: HTTPHeaders = ["content-type": "application/json", "content-length": "\(body.utf8.count)"]

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}

/// Finds the end of each request head (`\r\n\r\n`) in the bytes read and answers each with the canned bytes.
final class RawAnswerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let answer = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: \(body.utf8.count)\r\n\r\n\(body)"
    private var matched = 0
    private var pending = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        bytes.withUnsafeReadableBytes { raw in
            for byte in raw {
                switch (matched, byte) {
                case (0, UInt8(ascii: "\r")), (2, UInt8(ascii: "\r")): matched += 1
                case (1, UInt8(ascii: "\n")): matched = 2
                case (3, UInt8(ascii: "\n")): matched = 0; pending += 1
                case (_, UInt8(ascii: "\r")): matched = 1
                default: matched = 0
                }
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        guard pending > 0 else { return }
        var out = context.channel.allocator.buffer(capacity: answer.utf8.count * pending)
        for _ in 0..<pending { out.writeString(answer) }
        pending = 0
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let port = Int(arguments[2]), ["nio-http1", "raw"].contains(arguments[1]) else {
    print("usage: HTTP1Floor nio-http1|raw PORT")
    exit(2)
}
let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let raw = arguments[1] == "raw"
let channel = try await ServerBootstrap(group: group)
    .serverChannelOption(.backlog, value: 1024)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            if raw {
                try channel.pipeline.syncOperations.addHandler(RawAnswerHandler())
            } else {
                try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: true, withOutboundHeaderValidation: true)
                try channel.pipeline.syncOperations.addHandler(FixedAnswerHandler())
            }
        }
    }
    .bind(host: "127.0.0.1", port: port).get()
print("listening on \(port)")
try await channel.closeFuture.get()
