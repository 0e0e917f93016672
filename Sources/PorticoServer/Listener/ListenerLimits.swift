/// The limits the public listener enforces before a request reaches the stages.
public struct ListenerLimits: Sendable, Hashable {
    /// The largest request body; larger ones are answered 413 and the connection is closed.
    public var maxBodyBytes: Int
    /// The largest request head (request line and headers); larger ones are answered 431.
    public var maxHeaderBytes: Int

    public init(maxBodyBytes: Int = 1 << 20, maxHeaderBytes: Int = 16 << 10) {
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
    }
}
