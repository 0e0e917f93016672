public import Logging
public import NIOCore
import Synchronization

/// A Redis client over SwiftNIO: RESP2 on pipelined TCP connections, a few per event loop.
///
/// A command runs on the caller's event loop (``send(_:on:)`` takes it), on one of that loop's connections,
/// so its reply completes where the caller is without a thread hop. Each new connection logs in (`AUTH`,
/// with an ACL user or the password alone) and selects its database. A connect that fails makes the loop's
/// pool back off (commands fail at once with `unavailable` meanwhile); after the backoff the next command
/// connects again, so a Redis that comes back is used again without anyone's help.
///
/// Close it with ``close()`` or ``shutdown()`` once it is no longer used; its connections stay open until then.
public final class RedisClient: Sendable {
    public let configuration: RedisConfiguration
    private let logger: Logger
    private let pools = Mutex<(closed: Bool, byLoop: [ObjectIdentifier: NIOLoopBoundBox<RedisLoopPool>])>((false, [:]))

    public init(configuration: RedisConfiguration, logger: Logger = Logger(label: "portico.redis")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Sends one command (`["GET", "key"]`) on a connection of `loop`.
    ///
    /// - Returns: the reply; a failed future with ``RedisError`` (an error reply is code `server`).
    public func send(_ arguments: [String], on loop: any EventLoop) -> EventLoopFuture<RESPValue> {
        guard let pool = pool(for: loop) else {
            return loop.makeFailedFuture(RedisError(.connectionClosed, "the Redis client is closed"))
        }
        if loop.inEventLoop { return pool.value.send(arguments) }
        return loop.flatSubmit { pool.value.send(arguments) }
    }

    /// Runs `script` with `EVALSHA` (one round trip once it is loaded), loading it first with `SCRIPT LOAD`
    /// when it is not, and once more (then retrying once) when the server answers `NOSCRIPT`.
    public func evaluate(_ script: RedisScript, keys: [String], arguments: [String], on loop: any EventLoop) -> EventLoopFuture<RESPValue> {
        guard let digest = script.digest else {
            return load(script, on: loop).flatMap { self.send(Self.evalSHA($0, keys, arguments), on: loop) }
        }
        return send(Self.evalSHA(digest, keys, arguments), on: loop).flatMapError { error in
            guard let failure = error as? RedisError, failure.code == .server, failure.message.hasPrefix("NOSCRIPT") else {
                return loop.makeFailedFuture(error)
            }
            return self.load(script, on: loop).flatMap { self.send(Self.evalSHA($0, keys, arguments), on: loop) }
        }
    }

    /// Starts closing every connection without waiting; commands sent afterwards fail with `connectionClosed`.
    public func close() {
        _ = closeAll()
    }

    /// Closes every connection and waits until they are closed.
    public func shutdown() async {
        for closing in closeAll() {
            try? await closing.get()
        }
    }

    private func closeAll() -> [EventLoopFuture<Void>] {
        let all = pools.withLock { state in
            state.closed = true
            return Array(state.byLoop.values)
        }
        return all.map { pool in pool.eventLoop.flatSubmit { pool.value.close() } }
    }

    private func load(_ script: RedisScript, on loop: any EventLoop) -> EventLoopFuture<String> {
        send(["SCRIPT", "LOAD", script.source], on: loop).flatMapThrowing { reply in
            guard let digest = reply.text else { throw RedisError(.protocolError, "SCRIPT LOAD did not answer a digest") }
            script.digest = digest
            return digest
        }
    }

    private static func evalSHA(_ digest: String, _ keys: [String], _ arguments: [String]) -> [String] {
        ["EVALSHA", digest, String(keys.count)] + keys + arguments
    }

    private func pool(for loop: any EventLoop) -> NIOLoopBoundBox<RedisLoopPool>? {
        pools.withLock { state in
            guard !state.closed else { return nil }
            if let pool = state.byLoop[ObjectIdentifier(loop)] { return pool }
            let pool = NIOLoopBoundBox.makeBoxSendingValue(
                RedisLoopPool(configuration: configuration, loop: loop, logger: logger), eventLoop: loop
            )
            state.byLoop[ObjectIdentifier(loop)] = pool
            return pool
        }
    }
}
