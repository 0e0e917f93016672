import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP/1.1 client that reads a streamed answer piece by piece, as the test consumes it: NIO's async
/// channel stops reading the socket while what came is not consumed, so a test that pauses is a slow
/// reader, and one that returns early closes the connection mid-stream.
enum StreamingHTTPClient {
    /// Sends `GET target` with `headers` and runs `body` with the answer's reader; the connection closes when
    /// `body` returns.
    static func get(
        port: Int,
        _ target: String,
        headers: [(String, String)] = [],
        group: any EventLoopGroup,
        _ body: (StreamReader) async throws -> Void
    ) async throws {
        try await connect(port: port, group: group).executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target)
            head.headers.add(name: "host", value: "127.0.0.1")
            for (name, value) in headers { head.headers.add(name: name, value: value) }
            try await outbound.write(.head(head))
            try await outbound.write(.end(nil))
            try await body(StreamReader(iterator: inbound.makeAsyncIterator()))
        }
    }
}

extension StreamingHTTPClient {
    /// Sends `POST target` with `headers` and a chunked body that `body` writes piece by piece (ending it with
    /// ``BodyWriter/end()``) while it reads the answer; the connection closes when `body` returns.
    static func post(
        port: Int,
        _ target: String,
        headers: [(String, String)] = [],
        group: any EventLoopGroup,
        _ body: (BodyWriter, StreamReader) async throws -> Void
    ) async throws {
        try await connect(port: port, group: group).executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: target)
            head.headers.add(name: "host", value: "127.0.0.1")
            head.headers.add(name: "transfer-encoding", value: "chunked")
            for (name, value) in headers { head.headers.add(name: name, value: value) }
            try await outbound.write(.head(head))
            try await body(BodyWriter(outbound: outbound), StreamReader(iterator: inbound.makeAsyncIterator()))
        }
    }

    /// An HTTP/1.1 connection to the gateway on loopback.
    private static func connect(port: Int, group: any EventLoopGroup) async throws -> NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart> {
        try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
            }
        }
    }

    /// Writes a request body piece by piece.
    struct BodyWriter {
        let outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>

        func write(_ text: String) async throws {
            try await outbound.write(.body(.byteBuffer(ByteBuffer(string: text))))
        }

        func end() async throws {
            try await outbound.write(.end(nil))
        }
    }
}

/// The parts of one streamed answer, read on demand.
final class StreamReader {
    private var iterator: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
    private var pending = ByteBuffer()
    private(set) var head: HTTPResponseHead?
    /// Whether the answer's end (the last chunk) has been read.
    private(set) var isComplete = false

    init(iterator: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator) {
        self.iterator = iterator
    }

    /// The answer's head.
    func readHead() async throws -> HTTPResponseHead {
        while head == nil {
            guard let part = try await iterator.next() else { throw CutOff() }
            switch part {
            case .head(let received): head = received
            case .body(var bytes): pending.writeBuffer(&bytes)
            case .end: isComplete = true
            }
        }
        return head!
    }

    /// The next text up to `separator` (not included), or `nil` at the answer's end.
    func read(until separator: String) async throws -> String? {
        while true {
            let view = String(buffer: pending)
            if let range = view.range(of: separator) {
                let line = String(view[..<range.lowerBound])
                pending.moveReaderIndex(forwardBy: view[..<range.upperBound].utf8.count)
                return line
            }
            guard var chunk = try await nextRaw() else { return nil }
            pending.writeBuffer(&chunk)
        }
    }

    /// The next NDJSON line.
    func readLine() async throws -> String? {
        try await read(until: "\n")
    }

    /// Everything left of the body.
    func readRest() async throws -> String {
        var rest = pending
        pending.clear()
        while var chunk = try await nextRaw() { rest.writeBuffer(&chunk) }
        return String(buffer: rest)
    }

    private func nextRaw() async throws -> ByteBuffer? {
        while !isComplete {
            switch try await iterator.next() {
            case .head(let received)?: head = received
            case .body(let bytes)?: return bytes
            case .end?: isComplete = true
            case nil: throw CutOff()
            }
        }
        return nil
    }

    /// The connection ended cleanly before the answer's last chunk (a cut-off body may also fail in the
    /// HTTP parser, at the end of a chunk).
    struct CutOff: Error {}
}
