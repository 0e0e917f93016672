import NIOCore

/// The limits the public listener enforces before a request reaches the stages.
package struct ListenerLimits: Sendable, Hashable {
    /// The largest request body; larger ones are answered 413 and the connection is closed.
    package var maxBodyBytes: Int
    /// The largest request head (request line and headers); larger ones are answered 431.
    package var maxHeaderBytes: Int
    /// How much of a rejected request's body is read and discarded after the 413, so a client that writes
    /// its whole body before reading sees the answer; past it the connection is closed at once.
    package var maxDrainBytes: Int
    /// How long a rejected request's body is drained at most before the connection is closed.
    package var drainTimeout: TimeAmount

    package init(
        maxBodyBytes: Int = 1 << 20,
        maxHeaderBytes: Int = 16 << 10,
        maxDrainBytes: Int = 16 << 20,
        drainTimeout: TimeAmount = .seconds(5)
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxDrainBytes = maxDrainBytes
        self.drainTimeout = drainTimeout
    }
}
