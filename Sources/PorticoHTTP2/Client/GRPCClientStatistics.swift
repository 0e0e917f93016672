/// Live counters of a client's pools: what is open, running, waiting and buffered right now.
public struct GRPCClientStatistics: Sendable, Equatable {
    /// Open or connecting connections.
    public var connections: Int
    /// Calls running on a stream.
    public var activeStreams: Int
    /// Calls waiting for a stream or a connection.
    public var queuedCalls: Int
    /// Received bytes not yet handed over or given back to the window, plus request bytes not yet sent.
    public var bufferedBytes: Int
    /// Connection attempts made so far (not a live count).
    public var connectAttempts: Int
    /// Connections retired so far because the backend sent GOAWAY or they could open no more streams (not a
    /// live count).
    public var goAways: Int

    /// No connections, no calls, nothing counted yet.
    public static let zero = GRPCClientStatistics(connections: 0, activeStreams: 0, queuedCalls: 0, bufferedBytes: 0, connectAttempts: 0, goAways: 0)

    /// Sums two sets of counters.
    public static func + (lhs: GRPCClientStatistics, rhs: GRPCClientStatistics) -> GRPCClientStatistics {
        GRPCClientStatistics(
            connections: lhs.connections + rhs.connections,
            activeStreams: lhs.activeStreams + rhs.activeStreams,
            queuedCalls: lhs.queuedCalls + rhs.queuedCalls,
            bufferedBytes: lhs.bufferedBytes + rhs.bufferedBytes,
            connectAttempts: lhs.connectAttempts + rhs.connectAttempts,
            goAways: lhs.goAways + rhs.goAways
        )
    }
}
