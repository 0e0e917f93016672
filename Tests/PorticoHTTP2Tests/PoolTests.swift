import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PorticoCore
import PorticoHTTP2
import Testing

@Suite("gRPC connection pool: GOAWAY, drops, restarts, keepalive, soak")
struct PoolTests {
    /// A unary method that counts how often the server saw each payload.
    private static func countingRegistry(_ seen: NIOLockedValueBox<[String: Int]>) -> GRPCServiceRegistry {
        var registry = TestServices.registry
        registry.registerUnary(TestServices.unary) { request in
            seen.withLockedValue { $0[String(buffer: request.message), default: 0] += 1 }
            return request.eventLoop.makeSucceededFuture(GRPCServerResponse(message: request.message))
        }
        return registry
    }

    @Test("GOAWAY under load: every call succeeds exactly once, refused ones are retried")
    func goAwayUnderLoad() async throws {
        let seen = NIOLockedValueBox<[String: Int]>([:])
        var server = GRPCServerConfiguration()
        server.goAwayAfterStreams = 40
        var client = GRPCClientConfiguration()
        client.maximumConcurrentStreamsPerConnection = 100
        client.backoff = ConnectionBackoff.Policy(initial: .milliseconds(5), maximum: .milliseconds(50))
        try await withServerAndClient(services: Self.countingRegistry(seen), server: server, client: client) { _, client, group in
            let loop = group.next()
            let payloads = (0..<600).map { "call-\($0)" }
            var retriedByCaller = 0
            try await withThrowingTaskGroup(of: Int.self) { tasks in
                for chunk in stride(from: 0, to: payloads.count, by: 200) {
                    let slice = payloads[chunk..<min(chunk + 200, payloads.count)]
                    tasks.addTask {
                        var retries = 0
                        var pending = Array(slice)
                        while !pending.isEmpty {
                            let calls = pending.map { ($0, client.unary(TestServices.unary, request: ByteBuffer(string: $0), on: loop).response) }
                            pending = []
                            for (payload, call) in calls {
                                if let error = await callError(call) {
                                    #expect(error.isRetryable, "\(payload): \(error)")
                                    guard error.isRetryable else { continue }
                                    retries += 1
                                    pending.append(payload)
                                } else {
                                    let message = try await call.get().message
                                    #expect(String(buffer: message) == payload)
                                }
                            }
                        }
                        return retries
                    }
                }
                for try await retries in tasks { retriedByCaller += retries }
            }
            let counts = seen.withLockedValue { $0 }
            #expect(counts.count == payloads.count)
            #expect(counts.values.allSatisfy { $0 == 1 })
            let statistics = try await client.statistics().get()
            #expect(statistics.connectAttempts > 1)
            #expect(statistics.activeStreams == 0)
            #expect(retriedByCaller < payloads.count)
        }
    }

    @Test("calls beyond one connection's stream cap open more connections, up to the maximum")
    func saturation() async throws {
        var configuration = GRPCClientConfiguration()
        configuration.maximumConcurrentStreamsPerConnection = 10
        configuration.maximumConnectionsPerEventLoop = 4
        try await withServerAndClient(client: configuration) { _, client, group in
            let loop = group.next()
            let calls = try await loop.submit {
                (0..<60).map { client.unary(TestServices.unary, request: ByteBuffer(string: "\($0)"), on: loop).response }
            }.get()
            for (index, call) in calls.enumerated() {
                let message = try await call.get().message
                #expect(String(buffer: message) == "\(index)")
            }
            let statistics = try await client.statistics().get()
            #expect(statistics.connectAttempts == 4)
            #expect(statistics.connections == 4)
        }
    }

    @Test("the server closing the connection mid-call fails the call with UNAVAILABLE")
    func serverClosesMidCall() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let reached = group.next().makePromise(of: Void.self)
        var registry = GRPCServiceRegistry()
        registry.registerUnary("/portico.test.Echo/Hang") { request in
            reached.succeed()
            return request.eventLoop.scheduleTask(in: .seconds(30)) { GRPCServerResponse(message: request.message) }.futureResult
        }
        let server = try await GRPCServer.start(group: group, services: registry)
        let client = GRPCClient(host: "127.0.0.1", port: server.port, group: group)
        let call = client.unary("/portico.test.Echo/Hang", request: ByteBuffer(string: "x"), options: .timeout(.seconds(30)))
        try await reached.futureResult.get()
        try await server.close()
        let error = await callError(call.response)
        #expect(error?.code == .unavailable)
        #expect(error?.kind == .transport)
        #expect(error?.isRetryable == false)
        try await client.close().get()
        try await group.shutdownGracefully()
    }

    @Test("after a server restart on the same port the pool reconnects")
    func serverRestart() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        var configuration = GRPCClientConfiguration()
        configuration.backoff = ConnectionBackoff.Policy(initial: .milliseconds(10), maximum: .milliseconds(100))
        let first = try await GRPCServer.start(group: group, services: TestServices.registry)
        let port = first.port
        let client = GRPCClient(host: "127.0.0.1", port: port, group: group, configuration: configuration)
        let loop = group.next()
        _ = try await client.unary(TestServices.unary, request: ByteBuffer(string: "before"), on: loop).response.get()
        try await first.close()

        let whileDown = await callError(client.unary(TestServices.unary, request: ByteBuffer(string: "down"), on: loop).response)
        #expect(whileDown?.code == .unavailable)

        let second = try await GRPCServer.start(port: port, group: group, services: TestServices.registry)
        var answer: String?
        for _ in 0..<50 where answer == nil {
            let call = client.unary(TestServices.unary, request: ByteBuffer(string: "after"), on: loop).response
            if let error = await callError(call) {
                #expect(error.code == .unavailable)
            } else {
                answer = String(buffer: try await call.get().message)
            }
        }
        #expect(answer == "after")
        try await client.close().get()
        try await second.close()
        try await group.shutdownGracefully()
    }

    @Test("a peer that never answers PING is detected and its calls fail")
    func keepaliveTimeout() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let silent = try await ServerBootstrap(group: group)
            .childChannelInitializer { $0.eventLoop.makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        var configuration = GRPCClientConfiguration()
        configuration.keepaliveInterval = .milliseconds(20)
        configuration.keepaliveTimeout = .milliseconds(40)
        let client = GRPCClient(host: "127.0.0.1", port: silent.localAddress!.port!, group: group, configuration: configuration)
        let error = await callError(client.unary(TestServices.unary, request: ByteBuffer(string: "x")).response)
        #expect(error?.code == .unavailable)
        try await client.close().get()
        try await silent.close()
        try await group.shutdownGracefully()
    }

    @Test("connecting to a closed port fails fast with a retryable UNAVAILABLE")
    func connectionRefused() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // Port 1 is privileged and never bound here; a port freed by a closed listener could be taken by another
        // test running at the same time.
        let client = GRPCClient(host: "127.0.0.1", port: 1, group: group)
        let error = await callError(client.unary(TestServices.unary, request: ByteBuffer(string: "x")).response)
        #expect(error?.code == .unavailable)
        #expect(error?.isRetryable == true)
        try await client.close().get()
        try await group.shutdownGracefully()
    }

    /// Runs `count` unary calls one after another, each started from the previous one's completion on
    /// the loop; succeeds with how many echoed their request.
    private static func sequentialCalls(client: GRPCClient, loop: any EventLoop, round: Int, count: Int) -> EventLoopFuture<Int> {
        @Sendable func call(_ index: Int, succeeded: Int) -> EventLoopFuture<Int> {
            guard index < count else { return loop.makeSucceededFuture(succeeded) }
            let payload = "\(round).\(index)"
            return client.unary(TestServices.unary, request: ByteBuffer(string: payload), on: loop).response.flatMap { response in
                call(index + 1, succeeded: succeeded + (String(buffer: response.message) == payload ? 1 : 0))
            }
        }
        return loop.flatSubmit { call(0, succeeded: 0) }
    }

    @Test("soak: 100,000 calls, sequential and concurrent, leave no stream, connection or buffer behind")
    func soak() async throws {
        var configuration = GRPCClientConfiguration()
        configuration.maximumConnectionsPerEventLoop = 2
        try await withServerAndClient(client: configuration) { server, client, group in
            let loop = group.next()
            var completed = 0
            for round in 0..<100 {
                completed += try await Self.sequentialCalls(client: client, loop: loop, round: round, count: 100).get()
                let concurrent = (0..<900).map { index in
                    client.unary(TestServices.unary, request: ByteBuffer(string: "c\(index)"), on: loop).response
                }
                let results = try await EventLoopFuture.whenAllComplete(concurrent, on: loop).get()
                for (index, result) in results.enumerated() {
                    if case .success(let response) = result, String(buffer: response.message) == "c\(index)" { completed += 1 }
                }
            }
            #expect(completed == 100_000)
            let statistics = try await client.statistics().get()
            #expect(statistics.activeStreams == 0)
            #expect(statistics.queuedCalls == 0)
            #expect(statistics.bufferedBytes == 0)
            #expect(statistics.connections <= 2)
            try await client.close().get()
            let closed = try await client.statistics().get()
            #expect(closed.connections == 0)
            _ = server
        }
    }
}
