import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PorticoHTTP2
import PorticoTesting
import Testing

/// Calls whose request messages are sent as they come (`GRPCClient.streamingCall`), against grpcio's
/// bidirectional and client-streaming handlers in `stream_server.py`.
@Suite struct StreamingCallTests {
    /// `Item { int64 value = 1; }`.
    private static func item(_ value: UInt8) -> ByteBuffer {
        ByteBuffer(bytes: [0x08, value])
    }

    private static func withClient(_ body: (GRPCClient, any EventLoop) async throws -> Void) async throws {
        let peer = try await PythonServer.start("stream_server.py")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let client = GRPCClient(host: "127.0.0.1", port: peer.port, group: group)
        do {
            try await body(client, group.next())
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

    @Test func eachAnswerArrivesBeforeTheNextMessageIsSent() async throws {
        try await Self.withClient { client, loop in
            let answers = AsyncStream<ByteBuffer>.makeStream()
            let started = client.streamingCall("/stream.v1.StreamService/Double", on: loop) { message in
                answers.continuation.yield(message)
                return nil
            }
            var iterator = answers.stream.makeAsyncIterator()
            for value in UInt8(1)...3 {
                try await started.requests.send(Self.item(value)).get()
                let answer = await iterator.next()
                #expect(answer.map { Array($0.readableBytesView) } == [0x08, value * 2], "the answer to \(value) came while the request was open")
            }
            started.requests.finish()
            let summary = try await started.call.response.get()
            #expect(summary.messageCount == 3)
        }
    }

    @Test func messagesSentBeforeTheStreamOpensGoFirst() async throws {
        try await Self.withClient { client, loop in
            let answers = NIOLockedValueBox<[ByteBuffer]>([])
            let started = client.streamingCall("/stream.v1.StreamService/Collect", on: loop) { message in
                answers.withLockedValue { $0.append(message) }
                return nil
            }
            var sends: [EventLoopFuture<Void>] = []
            for value in UInt8(1)...100 { sends.append(started.requests.send(Self.item(value))) }
            started.requests.finish()
            try await EventLoopFuture.andAllSucceed(sends, on: loop).get()
            _ = try await started.call.response.get()
            let summary = try #require(answers.withLockedValue { $0.first })
            #expect(Array(summary.readableBytesView.prefix(5)) == [0x08, 100, 0x10, 0xBA, 0x27], "count 100, sum 5050")
        }
    }

    @Test func aSendAfterTheCallEndedFails() async throws {
        try await Self.withClient { client, loop in
            let started = client.streamingCall("/stream.v1.StreamService/Double", on: loop) { _ in nil }
            started.call.cancel()
            await #expect(throws: GRPCCallError.self) { try await started.call.response.get() }
            await #expect(throws: GRPCCallError.self) { try await started.requests.send(Self.item(1)).get() }
        }
    }

    @Test func manyMessagesBeyondTheWindowReachTheBackend() async throws {
        try await Self.withClient { client, loop in
            let answers = NIOLockedValueBox<[ByteBuffer]>([])
            let started = client.streamingCall("/stream.v1.StreamService/Collect", on: loop) { message in
                answers.withLockedValue { $0.append(message) }
                return nil
            }
            let requests = started.requests
            for batch in [144, 293, 583, 1092, 2185, 4299, 1404] {
                try await loop.flatSubmit {
                    var last = loop.makeSucceededVoidFuture()
                    for _ in 0..<batch { last = requests.send(Self.item(1)) }
                    return last
                }.get()
            }
            started.requests.finish()
            _ = try await started.call.response.get()
            let summary = try #require(answers.withLockedValue { $0.first })
            #expect(Array(summary.readableBytesView.prefix(3)) == [0x08, 0x90, 0x4E], "count 10000")
        }
    }
}
