/// The pool's decisions as pure functions of its state, so they are tested without sockets.
enum ConnectionPoolPlan {
    /// A connection as the planner sees it.
    struct ConnectionLoad: Equatable {
        var isReady: Bool
        var acceptsStreams: Bool
        var activeStreams: Int
        var streamLimit: Int
    }

    /// The ready connection a new call should use: the busiest one that still has room, so load
    /// concentrates and surplus connections fall idle and close.
    static func pick(_ connections: some Sequence<ConnectionLoad>) -> Int? {
        var best: (index: Int, activeStreams: Int)?
        for (index, connection) in connections.enumerated()
        where connection.isReady && connection.acceptsStreams && connection.activeStreams < connection.streamLimit {
            if let current = best, current.activeStreams >= connection.activeStreams { continue }
            best = (index, connection.activeStreams)
        }
        return best?.index
    }

    /// How many new connections to open for `waitingCalls` that found no room.
    ///
    /// Connections still connecting will each take up to `streamsPerConnection` calls; the total never
    /// exceeds `maximumConnections` (draining connections still count until they close).
    static func connectionsToOpen(
        waitingCalls: Int,
        connecting: Int,
        openConnections: Int,
        streamsPerConnection: Int,
        maximumConnections: Int
    ) -> Int {
        guard waitingCalls > 0 else { return 0 }
        let perConnection = max(streamsPerConnection, 1)
        let needed = (waitingCalls + perConnection - 1) / perConnection - connecting
        return max(0, min(needed, maximumConnections - openConnections))
    }
}
