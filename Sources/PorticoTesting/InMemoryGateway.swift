import Foundation
import NIOCore
import NIOConcurrencyHelpers
import NIOEmbedded
import NIOHTTP1
import PorticoCore
import PorticoServer

/// The gateway's pipeline in memory, for tests of the stages without sockets: a snapshot compiled from a Protos
/// and a Mappings folder, every backend answered by one ``InMemoryUpstream``, and requests run on an
/// `EmbeddedEventLoop` whose clock the harness advances (retry back-offs, timers) until the answer is there.
package final class InMemoryGateway {
    /// The loop every request runs on.
    package let eventLoop = EmbeddedEventLoop()
    /// The pipeline under test.
    package let pipeline: GatewayPipeline
    /// The backend every route calls.
    package let upstream: InMemoryUpstream

    /// Compiles `protos` and `mappings` (with `environment` for `${…}`) and answers every backend with
    /// `upstream`, which `makeUpstream` builds on the harness's loop.
    package init(
        protos: URL,
        mappings: URL,
        environment: [String: String] = [:],
        clock: any MonotonicClock = ManualClock(),
        makeUpstream: (any EventLoop) -> InMemoryUpstream
    ) throws {
        let snapshot = try GatewayCompiler(protosDirectory: protos, mappingsDirectory: mappings, environment: environment).compile()
        let upstream = makeUpstream(eventLoop)
        self.upstream = upstream
        pipeline = try GatewayPipeline(
            snapshot: snapshot,
            upstreams: UpstreamDirectory(group: eventLoop) { _ in upstream },
            accessLog: nil,
            wallClock: { Date().timeIntervalSince1970 },
            clock: clock,
            metrics: GatewayMetrics(version: PorticoBuild.version, startTime: Date().timeIntervalSince1970)
        )
    }

    /// Runs one request through the stages and returns the answer.
    ///
    /// - Throws: when the answer does not come after a minute of the loop's time.
    package func send(_ method: HTTPMethod, _ uri: String, headers: HTTPHeaders = [:], body: String = "") throws -> GatewayResponse {
        let request = GatewayRequest(method: method, uri: uri, headers: headers, body: ByteBuffer(string: body))
        let answer = NIOLockedValueBox<Result<GatewayResponse, any Error>?>(nil)
        pipeline.respond(to: request, on: eventLoop).whenComplete { result in answer.withLockedValue { $0 = result } }
        var waited = 0
        while answer.withLockedValue({ $0 }) == nil, waited < 60 {
            eventLoop.advanceTime(by: .seconds(1))
            waited += 1
        }
        guard let result = answer.withLockedValue({ $0 }) else { throw NoAnswer() }
        return try result.get()
    }

    /// Writes raw bytes into a new connection of the public listener's pipeline (NIO's HTTP/1.1 codec and
    /// the gateway's handlers on an `EmbeddedChannel`) and returns every byte it answers, for HTTP-level
    /// behaviour (pipelining, `HEAD`, limits) without a socket.
    package func exchange(_ bytes: String, limits: ListenerLimits = ListenerLimits()) throws -> String {
        let channel = EmbeddedChannel(loop: eventLoop)
        try PublicListener.addHandlers(to: channel.pipeline.syncOperations, limits: limits, responder: pipeline)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
        try channel.writeInbound(ByteBuffer(string: bytes))
        var answer = ""
        for _ in 0..<60 {
            eventLoop.advanceTime(by: .seconds(1))
            while var chunk = try channel.readOutbound(as: ByteBuffer.self) {
                answer += chunk.readString(length: chunk.readableBytes) ?? ""
            }
        }
        _ = try? channel.finish()
        return answer
    }

    /// The pipeline did not answer.
    package struct NoAnswer: Error {}
}
