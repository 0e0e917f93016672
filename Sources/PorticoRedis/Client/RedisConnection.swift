import Logging
import NIOCore
import NIOPosix

/// One TCP connection to Redis, logged in (`AUTH`) and on its database (`SELECT`), that pipelines commands.
///
/// Its event loop's ``RedisLoopPool`` owns it; every operation goes through the channel, so it is `Sendable`.
final class RedisConnection: Sendable {
    private let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Whether the connection can still carry commands.
    var isActive: Bool { channel.isActive }

    /// Sends one command; its reply, or a ``RedisError``.
    func send(_ arguments: [String]) -> EventLoopFuture<RESPValue> {
        let reply = channel.eventLoop.makePromise(of: RESPValue.self)
        guard channel.isActive else {
            reply.fail(RedisError(.connectionClosed, "the connection to Redis is closed"))
            return reply.futureResult
        }
        channel.writeAndFlush(RedisRequest(arguments: arguments, reply: reply), promise: nil)
        return reply.futureResult
    }

    /// Closes the connection; commands in flight fail with `connectionClosed`.
    func close() -> EventLoopFuture<Void> {
        channel.close().recover { _ in }
    }

    /// Connects to `configuration.endpoint` from `loop`, then sends `AUTH` (when a password is configured) and
    /// `SELECT` (for a database other than 0), pipelined, before the connection is handed out.
    ///
    /// - Throws: ``RedisError`` with code `connectFailed` or `authenticationFailed` (through the future).
    static func connect(_ configuration: RedisConfiguration, on loop: any EventLoop) -> EventLoopFuture<RedisConnection> {
        let endpoint = configuration.endpoint
        return ClientBootstrap(group: loop)
            .connectTimeout(configuration.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        RedisChannelHandler(decoder: configuration.decoder, commandTimeout: configuration.connectTimeout)
                    )
                }
            }
            .connect(host: endpoint.host, port: endpoint.port)
            .flatMapErrorThrowing { error in
                throw RedisError(.connectFailed, "cannot connect to \(endpoint.host):\(endpoint.port): \(error)")
            }
            .flatMap { channel in
                let connection = RedisConnection(channel: channel)
                var handshake: [EventLoopFuture<RESPValue>] = []
                if let password = endpoint.password {
                    handshake.append(connection.send(["AUTH"] + (endpoint.username.map { [$0] } ?? []) + [password]))
                }
                if endpoint.database != 0 {
                    handshake.append(connection.send(["SELECT", String(endpoint.database)]))
                }
                return EventLoopFuture.andAllSucceed(handshake, on: loop)
                    .flatMapErrorThrowing { error in
                        channel.close(promise: nil)
                        guard let failure = error as? RedisError, failure.code == .server else { throw error }
                        throw RedisError(.authenticationFailed, "\(endpoint) refused the login or the database: \(failure.message)")
                    }
                    .flatMapThrowing {
                        try channel.pipeline.syncOperations.handler(type: RedisChannelHandler.self).commandTimeout = configuration.commandTimeout
                        return connection
                    }
            }
    }
}
