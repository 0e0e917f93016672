import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PorticoCore
import PorticoHTTP2
import Testing

@Suite("gRPC client against Portico's own server")
struct OwnServerTests {
    @Test("unary call echoes message and metadata, binary included")
    func unary() async throws {
        try await withServerAndClient { _, client, _ in
            var metadata: GRPCMetadata = ["x-user": "ada"]
            metadata.add("x-trace-bin", binary: [0, 1, 2, 250, 251])
            let response = try await client.unaryResponse(
                TestServices.unary,
                request: ByteBuffer(string: "hello"),
                options: GRPCCallOptions(metadata: metadata)
            )
            #expect(String(buffer: response.message) == "hello")
            #expect(response.headers["x-user"] == "ada")
            #expect(response.trailers.binary("x-trace-bin") == [0, 1, 2, 250, 251])
        }
    }

    @Test("server stream of 1,000 messages arrives in order")
    func serverStream() async throws {
        try await withServerAndClient { _, client, _ in
            let received = NIOLockedValueBox<[UInt32]>([])
            let summary = try await client.serverStreaming(TestServices.stream, request: TestServices.count(1000)) { message in
                var message = message
                let index = message.readInteger(as: UInt32.self)!
                received.withLockedValue { $0.append(index) }
                return nil
            }.response.get()
            #expect(summary.messageCount == 1000)
            #expect(received.withLockedValue { $0 } == Array(0..<1000))
            #expect(summary.trailers["x-count"] == "1000")
        }
    }

    @Test("trailers-only errors carry code, decoded message, details and trailers", arguments: 1...16)
    func failure(code: Int) async throws {
        try await withServerAndClient { _, client, _ in
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

    @Test("an unknown method is UNIMPLEMENTED")
    func unknownMethod() async throws {
        try await withServerAndClient { _, client, _ in
            let error = await callError(client.unary("/portico.test.Echo/Missing", request: ByteBuffer()).response)
            #expect(error?.code == .unimplemented)
        }
    }

    @Test("4 MiB messages travel both ways; larger ones are RESOURCE_EXHAUSTED")
    func largeMessages() async throws {
        try await withServerAndClient { _, client, _ in
            let size = 4 * 1024 * 1024
            var big = ByteBuffer(repeating: 0xA5, count: size)
            big.setInteger(UInt64(0x0102_0304_0506_0708), at: size / 2)
            let response = try await client.unaryResponse(TestServices.unary, request: big)
            #expect(response.message == big)
            big.writeInteger(UInt8(0))
            let error = await callError(client.unary(TestServices.unary, request: big).response)
            #expect(error?.code == .resourceExhausted)
        }
    }

    @Test("1,000 concurrent calls share one connection")
    func concurrentCalls() async throws {
        var configuration = GRPCClientConfiguration()
        configuration.maximumConcurrentStreamsPerConnection = 1000
        configuration.maximumConnectionsPerEventLoop = 1
        try await withServerAndClient(client: configuration) { _, client, group in
            let loop = group.next()
            let calls = (0..<1000).map { index in
                client.unary(TestServices.unary, request: ByteBuffer(string: "call \(index)"), on: loop).response
            }
            for (index, call) in calls.enumerated() {
                #expect(String(buffer: try await call.get().message) == "call \(index)")
            }
            let statistics = try await client.statistics().get()
            #expect(statistics.connectAttempts == 1)
        }
    }

    @Test("a deadline against a slow handler ends the call with DEADLINE_EXCEEDED")
    func deadline() async throws {
        try await withServerAndClient { _, client, _ in
            let error = await callError(
                client.unary(TestServices.slow, request: ByteBuffer(string: "x"), options: .timeout(.milliseconds(50))).response
            )
            #expect(error?.code == .deadlineExceeded)
            let statistics = try await client.statistics().get()
            #expect(statistics.activeStreams == 0)
        }
    }

    @Test("a call queued behind a full connection ends at its deadline while the call ahead of it runs on")
    func queuedDeadline() async throws {
        var configuration = GRPCClientConfiguration()
        configuration.maximumConcurrentStreamsPerConnection = 1
        configuration.maximumConnectionsPerEventLoop = 1
        try await withServerAndClient(loops: 1, client: configuration) { _, client, _ in
            let ahead = client.unary(TestServices.slow, request: ByteBuffer(string: "ahead"), options: .timeout(.seconds(30)))
            let queued = client.unary(TestServices.slow, request: ByteBuffer(string: "queued"), options: .timeout(.milliseconds(50)))
            let error = await callError(queued.response)
            #expect(error?.code == .deadlineExceeded)
            let statistics = try await client.statistics().get()
            #expect(statistics.activeStreams == 1)
            #expect(statistics.queuedCalls == 0)
            ahead.cancel()
            #expect(await callError(ahead.response)?.code == .cancelled)
        }
    }

    @Test("cancelling a call ends it with CANCELLED")
    func cancel() async throws {
        try await withServerAndClient { _, client, _ in
            let call = client.unary(TestServices.slow, request: ByteBuffer(string: "x"), options: .timeout(.seconds(30)))
            call.cancel()
            let error = await callError(call.response)
            #expect(error?.code == .cancelled)
        }
    }
}
