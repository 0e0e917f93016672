public import Foundation
public import NIOCore
import NIOConcurrencyHelpers
import NIOEmbedded
public import NIOHTTP1
public import PorticoCore
public import PorticoServer

/// The gateway's pipeline in memory, for tests of the stages without sockets: a snapshot compiled from a Protos
/// and a Mappings folder, every backend answered by one ``InMemoryUpstream``, and requests run on an
/// `EmbeddedEventLoop` whose clock the harness advances (retry back-offs, timers) until the answer is there.
public final class InMemoryGateway {
    /// The loop every request runs on.
    public let eventLoop = EmbeddedEventLoop()
    /// The pipeline under test.
    public let pipeline: GatewayPipeline
    /// The backend every route calls.
    public let upstream: InMemoryUpstream

    /// Compiles `protos` and `mappings` (with `environment` for `${…}`) and answers every backend with
    /// `upstream`, which `makeUpstream` builds on the harness's loop.
    public init(
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
            clock: clock
        )
    }

    /// Runs one request through the stages and returns the answer.
    ///
    /// - Throws: when the answer does not come after a minute of the loop's time.
    public func send(_ method: HTTPMethod, _ uri: String, headers: HTTPHeaders = [:], body: String = "") throws -> GatewayResponse {
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

    /// The pipeline did not answer.
    public struct NoAnswer: Error {}
}
