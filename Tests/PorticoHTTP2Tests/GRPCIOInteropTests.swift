import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PorticoCore
import PorticoHTTP2
import PorticoTesting
import Testing

/// Runs `body` against a fresh grpcio server (`Tests/Fixtures/python/grpc_test_server.py`).
private func withGRPCIOServer(
    _ arguments: [String] = [],
    client configuration: GRPCClientConfiguration = GRPCClientConfiguration(),
    _ body: (GRPCClient, PythonServer, MultiThreadedEventLoopGroup) async throws -> Void
) async throws {
    let peer = try await PythonServer.start("grpc_test_server.py", arguments)
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let client = GRPCClient(host: "127.0.0.1", port: peer.port, group: group, configuration: configuration)
    do {
        try await body(client, peer, group)
    } catch {
        try? await client.close().get()
        peer.stop()
        try? await group.shutdownGracefully()
        throw error
    }
    try await client.close().get()
    peer.stop()
    try await group.shutdownGracefully()
}

@Suite("gRPC client against grpcio (Python)")
struct GRPCIOInteropTests {
    @Test("unary call with text and binary metadata both ways")
    func unary() async throws {
        try await withGRPCIOServer { client, _, _ in
            var metadata: GRPCMetadata = ["x-user": "ada"]
            metadata.add("x-trace-bin", binary: [0, 1, 2, 250, 251, 0])
            let response = try await client.unaryResponse(
                TestServices.unary,
                request: ByteBuffer(string: "hello grpcio"),
                options: GRPCCallOptions(metadata: metadata)
            )
            #expect(String(buffer: response.message) == "hello grpcio")
            #expect(response.headers["x-user"] == "ada")
            #expect(response.headers.binary("x-trace-bin") == [0, 1, 2, 250, 251, 0])
            #expect(response.trailers["x-user"] == "ada")
            #expect(response.trailers.binary("x-trace-bin") == [0, 1, 2, 250, 251, 0])
        }
    }

    @Test("a server stream of 1,000 messages")
    func serverStream() async throws {
        try await withGRPCIOServer { client, _, _ in
            let received = NIOLockedValueBox<[UInt32]>([])
            let summary = try await client.serverStreaming(TestServices.stream, request: TestServices.count(1000)) { message in
                var message = message
                received.withLockedValue { $0.append(message.readInteger(as: UInt32.self)!) }
                return nil
            }.response.get()
            #expect(summary.messageCount == 1000)
            #expect(received.withLockedValue { $0 } == Array(0..<1000))
            #expect(summary.trailers["x-count"] == "1000")
        }
    }

    @Test("trailers-only errors for every status code, with message, details and trailers")
    func errors() async throws {
        try await withGRPCIOServer { client, _, _ in
            for code in 1...16 {
                var request = ByteBuffer()
                request.writeInteger(UInt8(code))
                let error = await callError(client.unary(TestServices.fail, request: request).response)
                let expected = GRPCStatusCode(rawValue: code)
                #expect(error?.code == expected)
                #expect(error?.kind == .status)
                #expect(error?.status.message == "failed: \(expected.name) ü 100%")
                #expect(error?.status.details == [0, 1, 2, 255])
                #expect(error?.trailers["x-failure"] == "yes")
            }
        }
    }

    @Test("4 MiB messages both ways")
    func largeMessages() async throws {
        try await withGRPCIOServer { client, _, _ in
            var big = ByteBuffer(repeating: 0x5A, count: 4 * 1024 * 1024)
            big.setInteger(UInt64(0x0102_0304_0506_0708), at: 1234)
            let response = try await client.unaryResponse(TestServices.unary, request: big)
            #expect(response.message == big)
        }
    }

    @Test("1,000 concurrent calls on one connection")
    func concurrentCalls() async throws {
        var configuration = GRPCClientConfiguration()
        configuration.maximumConcurrentStreamsPerConnection = 1000
        configuration.maximumConnectionsPerEventLoop = 1
        try await withGRPCIOServer(client: configuration) { client, _, group in
            let loop = group.next()
            let calls = (0..<1000).map { client.unary(TestServices.unary, request: ByteBuffer(string: "\($0)"), on: loop).response }
            for (index, call) in calls.enumerated() {
                let message = try await call.get().message
                #expect(String(buffer: message) == "\(index)")
            }
            #expect(try await client.statistics().get().connectAttempts == 1)
        }
    }

    @Test("deadline expiry against a slow handler")
    func deadline() async throws {
        try await withGRPCIOServer { client, _, _ in
            let call = client.unary(TestServices.slow, request: ByteBuffer(string: "x"), options: .timeout(.milliseconds(100)))
            let error = await callError(call.response)
            #expect(error?.code == .deadlineExceeded)
        }
    }

    @Test("gzip-compressed responses from grpcio are accepted")
    func gzip() async throws {
        try await withGRPCIOServer(["--gzip"]) { client, _, _ in
            let text = String(repeating: "compress me ", count: 10_000)
            let response = try await client.unaryResponse(TestServices.unary, request: ByteBuffer(string: text))
            #expect(String(buffer: response.message) == text)
            let summary = try await client.serverStreaming(TestServices.stream, request: TestServices.count(100)) { _ in nil }.response.get()
            #expect(summary.messageCount == 100)
        }
    }

    @Test("the server going away mid-call fails the call with UNAVAILABLE")
    func serverStops() async throws {
        try await withGRPCIOServer { client, peer, _ in
            _ = try await client.unaryResponse(TestServices.unary, request: ByteBuffer(string: "warm up"))
            let call = client.unary(TestServices.slow, request: ByteBuffer(string: "x"), options: .timeout(.seconds(30)))
            peer.stop()
            let error = await callError(call.response)
            #expect(error?.code == .unavailable)
        }
    }

    @Test("GOAWAY from grpcio's maximum connection age under load: no call lost or duplicated")
    func goAway() async throws {
        var configuration = GRPCClientConfiguration()
        configuration.backoff = ConnectionBackoff.Policy(initial: .milliseconds(5), maximum: .milliseconds(50))
        try await withGRPCIOServer(["--max-connection-age-ms", "100"], client: configuration) { client, _, group in
            let loop = group.next()
            var succeeded = 0
            for round in 0..<10 {
                var pending = (0..<100).map { "\(round)-\($0)" }
                var attempts = 0
                while !pending.isEmpty, attempts < 10 {
                    attempts += 1
                    let calls = pending.map { ($0, client.unary(TestServices.unary, request: ByteBuffer(string: $0), on: loop).response) }
                    pending = []
                    for (payload, call) in calls {
                        if let error = await callError(call) {
                            #expect(error.isRetryable, "\(payload): \(error)")
                            if error.isRetryable { pending.append(payload) }
                        } else {
                            let message = try await call.get().message
                            #expect(String(buffer: message) == payload)
                            succeeded += 1
                        }
                    }
                }
            }
            #expect(succeeded == 1000)
        }
    }
}
