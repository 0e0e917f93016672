import NIOCore
import NIOEmbedded
import PorticoCore
import Testing

@testable import PorticoHTTP2

/// The client and server session handlers on `EmbeddedChannel`s, bytes pumped between them in memory.
@Suite("Session handlers in memory (EmbeddedChannel)")
struct EmbeddedSessionTests {
    private struct Pair {
        let loop = EmbeddedEventLoop()
        let client: EmbeddedChannel
        let server: EmbeddedChannel
        let handler: GRPCClientConnectionHandler

        init(
            client clientConfiguration: GRPCClientConfiguration = GRPCClientConfiguration(),
            server configuration: GRPCServerConfiguration = GRPCServerConfiguration()
        ) throws {
            handler = GRPCClientConnectionHandler(configuration: clientConfiguration, authority: "embedded")
            client = EmbeddedChannel(handler: handler, loop: loop)
            server = EmbeddedChannel(
                handler: GRPCServerConnectionHandler(services: TestServices.registry, configuration: configuration),
                loop: loop
            )
            let address = try SocketAddress(ipAddress: "127.0.0.1", port: 1)
            try client.connect(to: address).wait()
            try server.connect(to: address).wait()
        }

        /// Moves bytes client → server (and back, unless `oneWay`) until nothing is left to move. Each round
        /// first ends the event-loop turn (runs its queued tasks), where the client writes the streams it started.
        func pump(oneWay: Bool = false) throws {
            var moved = true
            while moved {
                moved = false
                loop.run()
                while let bytes = try client.readOutbound(as: ByteBuffer.self) {
                    try server.writeInbound(bytes)
                    moved = true
                }
                if oneWay { return }
                while let bytes = try server.readOutbound(as: ByteBuffer.self) {
                    try client.writeInbound(bytes)
                    moved = true
                }
            }
        }

        func unary(_ path: String, _ message: String, deadline: NIODeadline? = nil) -> EventLoopFuture<GRPCUnaryResponse> {
            let promise = loop.makePromise(of: GRPCUnaryResponse.self)
            let call = GRPCClientCall(
                path: path,
                framedRequest: GRPCMessageFraming.frame(ByteBuffer(string: message), allocator: ByteBufferAllocator()),
                options: GRPCCallOptions(deadline: deadline, metadata: ["x-embedded": "yes"]),
                responder: .unary(promise),
                maximumReceiveMessageSize: 1 << 20
            )
            handler.start(call)
            return promise.futureResult
        }

        func outcome<Value>(_ future: EventLoopFuture<Value>) -> Result<Value, any Error>? {
            var result: Result<Value, any Error>?
            future.assumeIsolated().whenComplete { result = $0 }
            loop.run()
            return result
        }
    }

    @Test("a unary call round-trips with metadata")
    func unary() throws {
        let pair = try Pair()
        let future = pair.unary(TestServices.unary, "ping")
        try pair.pump()
        let response = try pair.outcome(future)?.get()
        #expect(response.map { String(buffer: $0.message) } == "ping")
        #expect(response?.headers["x-embedded"] == "yes")
        #expect(pair.handler.activeStreamCount == 0)
    }

    @Test("a server error arrives as a trailers-only status")
    func trailersOnly() throws {
        let pair = try Pair()
        var request = ByteBuffer()
        request.writeInteger(UInt8(GRPCStatusCode.permissionDenied.rawValue))
        let future = pair.unary(TestServices.fail, String(buffer: request))
        try pair.pump()
        guard case .failure(let error as GRPCCallError)? = pair.outcome(future) else {
            Issue.record("call did not fail with a status")
            return
        }
        #expect(error.code == .permissionDenied)
        #expect(error.status.details == [0, 1, 2, 255])
    }

    @Test("the deadline (on the loop's manual clock) resets the stream and ends the call")
    func deadline() throws {
        let pair = try Pair()
        let future = pair.unary(TestServices.slow, "x", deadline: pair.loop.now + .milliseconds(50))
        try pair.pump()
        #expect(pair.outcome(future) == nil)
        pair.loop.advanceTime(by: .milliseconds(60))
        guard case .failure(let error as GRPCCallError)? = pair.outcome(future) else {
            Issue.record("call did not fail")
            return
        }
        #expect(error.code == .deadlineExceeded)
        #expect(pair.handler.activeStreamCount == 0)
        try pair.pump()
    }

    @Test("calls with different deadlines on one connection each end at their own, whatever order they started in")
    func deadlinesInAnyOrder() throws {
        let pair = try Pair()
        let middle = pair.unary(TestServices.slow, "middle", deadline: pair.loop.now + .milliseconds(100))
        let first = pair.unary(TestServices.slow, "first", deadline: pair.loop.now + .milliseconds(50))
        let last = pair.unary(TestServices.slow, "last", deadline: pair.loop.now + .milliseconds(200))
        try pair.pump()
        pair.loop.advanceTime(by: .milliseconds(60))
        #expect(Self.failureCode(pair.outcome(first)) == .deadlineExceeded)
        #expect(pair.outcome(middle) == nil)
        #expect(pair.handler.activeStreamCount == 2)
        pair.loop.advanceTime(by: .milliseconds(50))
        #expect(Self.failureCode(pair.outcome(middle)) == .deadlineExceeded)
        #expect(pair.outcome(last) == nil)
        pair.loop.advanceTime(by: .milliseconds(100))
        #expect(Self.failureCode(pair.outcome(last)) == .deadlineExceeded)
        #expect(pair.handler.activeStreamCount == 0)
    }

    private static func failureCode(_ outcome: Result<GRPCUnaryResponse, any Error>?) -> GRPCStatusCode? {
        guard case .failure(let error as GRPCCallError)? = outcome else { return nil }
        return error.code
    }

    @Test("streams above GOAWAY's last stream id fail as retryable UNAVAILABLE; earlier ones finish")
    func goAway() throws {
        var configuration = GRPCServerConfiguration()
        configuration.goAwayAfterStreams = 1
        let pair = try Pair(server: configuration)
        let first = pair.unary(TestServices.unary, "first")
        try pair.pump(oneWay: true)
        let second = pair.unary(TestServices.unary, "second")
        try pair.pump()
        #expect(try pair.outcome(first)?.get().message == ByteBuffer(string: "first"))
        guard case .failure(let error as GRPCCallError)? = pair.outcome(second) else {
            Issue.record("second call did not fail")
            return
        }
        #expect(error.code == .unavailable)
        #expect(error.isRetryable)
        #expect(!pair.handler.canStartCall)
    }

    @Test("a connection without streams closes after the idle timeout (manual clock)")
    func idleClose() throws {
        var configuration = GRPCClientConfiguration()
        configuration.idleTimeout = .seconds(10)
        let pair = try Pair(client: configuration)
        let future = pair.unary(TestServices.unary, "x")
        try pair.pump()
        #expect(try pair.outcome(future)?.get().message == ByteBuffer(string: "x"))
        pair.loop.advanceTime(by: .seconds(9))
        #expect(pair.client.isActive)
        pair.loop.advanceTime(by: .seconds(2))
        #expect(!pair.client.isActive)
    }

    @Test("a PING left unanswered past the keepalive timeout fails the calls (manual clock)")
    func keepalive() throws {
        var configuration = GRPCClientConfiguration()
        configuration.keepaliveInterval = .seconds(5)
        configuration.keepaliveTimeout = .seconds(2)
        let pair = try Pair(client: configuration)
        let future = pair.unary(TestServices.slow, "x")
        try pair.pump()
        pair.loop.advanceTime(by: .seconds(5))
        try pair.pump()
        pair.loop.advanceTime(by: .seconds(5))
        #expect(pair.client.isActive)
        pair.loop.advanceTime(by: .seconds(2))
        guard case .failure(let error as GRPCCallError)? = pair.outcome(future) else {
            Issue.record("call did not fail")
            return
        }
        #expect(error.code == .unavailable)
        #expect(!pair.client.isActive)
    }

    @Test("losing the connection fails every pending call")
    func connectionLoss() throws {
        let pair = try Pair()
        let calls = (0..<3).map { pair.unary(TestServices.slow, "\($0)") }
        try pair.pump()
        try pair.client.close().wait()
        for call in calls {
            guard case .failure(let error as GRPCCallError)? = pair.outcome(call) else {
                Issue.record("call did not fail")
                continue
            }
            #expect(error.code == .unavailable)
            #expect(error.kind == .transport)
        }
    }
}
