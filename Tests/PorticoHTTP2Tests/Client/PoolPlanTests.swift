import NIOCore
import Testing

@testable import PorticoHTTP2

@Suite("Pool decisions and backoff as pure values")
struct PoolPlanTests {
    private typealias Load = ConnectionPoolPlan.ConnectionLoad

    @Test("a call goes to the busiest ready connection that has room")
    func pick() {
        let connections = [
            Load(isReady: false, acceptsStreams: false, activeStreams: 0, streamLimit: 0),
            Load(isReady: true, acceptsStreams: true, activeStreams: 3, streamLimit: 10),
            Load(isReady: true, acceptsStreams: true, activeStreams: 10, streamLimit: 10),
            Load(isReady: true, acceptsStreams: false, activeStreams: 5, streamLimit: 10),
            Load(isReady: true, acceptsStreams: true, activeStreams: 7, streamLimit: 10),
        ]
        #expect(ConnectionPoolPlan.pick(connections) == 4)
        #expect(ConnectionPoolPlan.pick(Array(connections.prefix(4))) == 1)
        #expect(ConnectionPoolPlan.pick([connections[0], connections[2], connections[3]]) == nil)
    }

    @Test(
        "new connections cover the waiting calls, minus those connecting, up to the maximum",
        arguments: [
            (0, 0, 0, 100, 4, 0), (1, 0, 0, 100, 4, 1), (1, 1, 1, 100, 4, 0), (150, 1, 1, 100, 4, 1),
            (1000, 0, 1, 100, 4, 3), (5, 0, 4, 100, 4, 0), (250, 0, 0, 100, 4, 3),
        ]
    )
    func connectionsToOpen(waiting: Int, connecting: Int, open: Int, perConnection: Int, maximum: Int, expected: Int) {
        #expect(
            ConnectionPoolPlan.connectionsToOpen(
                waitingCalls: waiting,
                connecting: connecting,
                openConnections: open,
                streamsPerConnection: perConnection,
                maximumConnections: maximum
            ) == expected
        )
    }

    @Test("backoff grows by the multiplier to the maximum, jitter spreads it, success resets it")
    func backoff() {
        var backoff = ConnectionBackoff(policy: .init(initial: .milliseconds(100), multiplier: 2, jitter: 0.5, maximum: .milliseconds(500)))
        let delays = (0..<5).map { _ in backoff.nextDelay { 0 } }
        #expect(delays == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(500), .milliseconds(500)])
        backoff.reset()
        #expect(backoff.nextDelay { 1 } == .milliseconds(150))
        #expect(backoff.nextDelay { -1 } == .milliseconds(100))
    }
}
