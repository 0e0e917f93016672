import NIOCore
import NIOEmbedded
import NIOHTTP1
import PorticoCore

/// The public listener on an in-memory connection, for Portico's fuzz targets (`Fuzz/`, a package of its own,
/// which reaches it with `@_spi(Fuzzing) import PorticoServer`).
///
/// A connection gets the handlers the listener gives it (protocol selection, then HTTP/1.1 or HTTP/2 by the
/// first bytes) and a responder that exercises every way a request is answered: whole, streamed out, and
/// with a body streamed in.
@_spi(Fuzzing) public enum ListenerFuzzing {
    /// Sends `input` to a new connection in reads of at most `readSize` bytes, runs everything the reads
    /// started, then lets two minutes pass (every clock of the listener fires) and returns what the connection
    /// wrote.
    public static func connection(_ input: [UInt8], readSize: Int) -> [UInt8] {
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(loop: loop)
        let limits = ListenerLimits(maxBodyBytes: 4096, maxHeaderBytes: 2048, maxPipelinedRequests: 4)
        try! channel.pipeline.syncOperations.addHandler(
            PublicListener.protocolSelection(limits: limits, metrics: nil, responder: FuzzResponder())
        )
        try! channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        var output: [UInt8] = []
        var offset = 0
        let size = max(1, readSize)
        while offset < input.count, channel.isActive {
            let end = min(offset + size, input.count)
            _ = try? channel.writeInbound(ByteBuffer(bytes: input[offset..<end]))
            loop.run()
            offset = end
            drain(channel, into: &output)
        }
        loop.advanceTime(by: .minutes(2))
        drain(channel, into: &output)
        _ = try? channel.finish(acceptAlreadyClosed: true)
        return output
    }

    private static func drain(_ channel: EmbeddedChannel, into output: inout [UInt8]) {
        while let data = try? channel.readOutbound(as: IOData.self) {
            switch data {
            case .byteBuffer(let buffer): output += buffer.readableBytesView
            case .fileRegion: preconditionFailure("the listener wrote a file region")
            }
        }
        while (try? channel.readInbound(as: ByteBuffer.self)) != nil {}
    }
}

/// Answers by path: `/stream` takes its body as it arrives and answers its length, `/chunks` answers a
/// streamed body, `/slow` never answers, and anything else answers its body's length at once.
private struct FuzzResponder: GatewayResponder {
    func respond(to request: GatewayRequest, on eventLoop: any EventLoop) -> EventLoopFuture<GatewayResponse> {
        if let body = request.bodyStream {
            return Self.length(of: body, counted: 0).map { Self.answer(bytes: $0) }
        }
        if request.uri.hasPrefix("/chunks") {
            return eventLoop.makeSucceededFuture(GatewayResponse(status: .ok, headers: ["content-type": "application/x-ndjson"], stream: ChunkSource()))
        }
        if request.uri.hasPrefix("/slow") {
            return eventLoop.makePromise(of: GatewayResponse.self).futureResult
        }
        return eventLoop.makeSucceededFuture(Self.answer(bytes: request.body.readableBytes))
    }

    func streamsBody(of head: HTTPRequestHead) -> Bool {
        head.uri.hasPrefix("/stream")
    }

    private static func length(of body: RequestBodyStream, counted: Int) -> EventLoopFuture<Int> {
        body.next().flatMap { chunk in
            guard let chunk else { return body.eventLoop.makeSucceededFuture(counted) }
            return length(of: body, counted: counted + chunk.readableBytes)
        }
    }

    private static func answer(bytes: Int) -> GatewayResponse {
        GatewayResponse(status: .ok, headers: ["content-type": "application/json"], body: ByteBuffer(string: #"{"bytes":\#(bytes)}"#))
    }
}

/// Three lines, each written once the client has room for it.
private struct ChunkSource: ResponseBodySource {
    func start(into sink: any ResponseBodySink) {
        sink.write(ByteBuffer(string: "{\"n\":1}\n"))
            .assumeIsolated()
            .flatMap { sink.write(ByteBuffer(string: "{\"n\":2}\n")) }
            .flatMap { sink.write(ByteBuffer(string: "{\"n\":3}\n")) }
            .whenComplete { result in
                if case .success = result { sink.finish() } else { sink.abort() }
            }
    }

    func cancel() {}
}
