/// Bounds Portico enforces on protobuf input before protobuf-c sees it.
///
/// protobuf-c's unpack recurses once per nesting level with no limit (about 10 000 levels crash an 8 MiB
/// stack), so the depth bound is what keeps a hostile peer from killing the process.
public struct WireLimits: Sendable, Hashable {
    /// The deepest nesting of message fields accepted; the top-level message is depth 0. Default 100,
    /// as in upb and the C++ runtime.
    public var maxDepth: Int
    /// The largest encoded message accepted, in bytes. Default 64 MiB.
    public var maxMessageSize: Int

    /// Creates limits; the defaults suit a gateway.
    public init(maxDepth: Int = 100, maxMessageSize: Int = 64 * 1024 * 1024) {
        self.maxDepth = maxDepth
        self.maxMessageSize = maxMessageSize
    }
}
