/// A failure of the Redis client: connecting, authenticating, a reply that breaks the protocol, a command that
/// timed out, or an error reply.
///
/// Messages name the server and what went wrong, never a password: the client never puts one in an error.
public struct RedisError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// The URL is malformed or asks for what the client does not do (`rediss`).
        case invalidURL
        /// The TCP connection could not be made in time.
        case connectFailed
        /// `AUTH` or `SELECT` was refused on a new connection.
        case authenticationFailed
        /// The server's bytes are not RESP2, or a reply exceeds the configured bounds.
        case protocolError
        /// No reply came within the command timeout.
        case timeout
        /// The connection closed with the command in flight, or the client was closed.
        case connectionClosed
        /// The server answered with an error reply.
        case server
        /// The server is failing: a recent connection attempt failed and the next waits for its backoff.
        case unavailable
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "redis \(code.rawValue): \(message)" }
}
