import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PorticoCore
import PorticoHTTP2
import Testing

@Suite("Flow control: a streaming consumer's pace bounds what is buffered")
struct FlowControlTests {
    @Test("messages whose futures are pending hold the window: the stream stalls near the window size")
    func backpressure() async throws {
        try await withServerAndClient { _, client, group in
            let loop = group.next()
            let held = NIOLockedValueBox<[EventLoopPromise<Void>]>([])
            let call = client.serverStreaming(
                TestServices.bigStream,
                request: TestServices.count(200),
                options: .timeout(.seconds(2)),
                on: loop
            ) { _ in
                let promise = loop.makePromise(of: Void.self)
                held.withLockedValue { $0.append(promise) }
                return promise.futureResult
            }
            let error = await callError(call.response)
            #expect(error?.code == .deadlineExceeded)
            let window = GRPCClientConfiguration().maximumReceiveMessageSize + 5
            let delivered = held.withLockedValue { $0.count }
            #expect(delivered <= window / (TestServices.bigMessageSize + 5) + 1)
            #expect(delivered > 0)
            for promise in held.withLockedValue({ $0 }) { promise.succeed() }
        }
    }

    @Test("a consumer that releases as it goes receives the whole 12 MiB stream")
    func releasing() async throws {
        try await withServerAndClient { _, client, group in
            let loop = group.next()
            let summary = try await client.serverStreaming(TestServices.bigStream, request: TestServices.count(200), on: loop) { _ in
                loop.makeSucceededVoidFuture()
            }.response.get()
            #expect(summary.messageCount == 200)
            let statistics = try await client.statistics().get()
            #expect(statistics.bufferedBytes == 0)
        }
    }
}
