import NIOCore

/// Limits the public listener enforces before a request reaches the pipeline.
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
    /// How long a request head may take from its first byte (or from the connection's start); then 408.
    package var requestHeadTimeout: TimeAmount
    /// How long a request body may take from the end of its head; then 408.
    package var bodyReadTimeout: TimeAmount
    /// How long a connection may wait for its next request; then it is closed.
    package var keepAliveTimeout: TimeAmount
    /// The most connections open at once; beyond it new ones are closed as they are accepted.
    package var maxConnections: Int
    /// The most connections open at once from one client address.
    package var maxConnectionsPerClient: Int
    /// The most requests one connection may have sent ahead of their answers (HTTP/1.1 pipelining); beyond it
    /// the connection is closed.
    package var maxPipelinedRequests: Int
    /// The most request streams one HTTP/2 connection may have open at once.
    package var http2MaxConcurrentStreams: Int

    package init(
        maxBodyBytes: Int = 1 << 20,
        maxHeaderBytes: Int = 16 << 10,
        maxDrainBytes: Int = 16 << 20,
        drainTimeout: TimeAmount = .seconds(5),
        requestHeadTimeout: TimeAmount = .seconds(10),
        bodyReadTimeout: TimeAmount = .seconds(30),
        keepAliveTimeout: TimeAmount = .seconds(60),
        maxConnections: Int = 10_000,
        maxConnectionsPerClient: Int = 1_000,
        maxPipelinedRequests: Int = 128,
        http2MaxConcurrentStreams: Int = 100
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxDrainBytes = maxDrainBytes
        self.drainTimeout = drainTimeout
        self.requestHeadTimeout = requestHeadTimeout
        self.bodyReadTimeout = bodyReadTimeout
        self.keepAliveTimeout = keepAliveTimeout
        self.maxConnections = maxConnections
        self.maxConnectionsPerClient = maxConnectionsPerClient
        self.maxPipelinedRequests = maxPipelinedRequests
        self.http2MaxConcurrentStreams = http2MaxConcurrentStreams
    }

    /// How many request body bytes one HTTP/2 connection may hold across its streams before their requests
    /// are complete; a stream whose DATA would go past it is answered 503.
    package var http2BufferedBodyBytes: Int { 4 * maxBodyBytes }
}
