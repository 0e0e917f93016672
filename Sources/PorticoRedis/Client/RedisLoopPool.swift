import Logging
import NIOCore

/// The connections of one event loop, used only on that loop: commands from a request on the loop go out on
/// a connection of the same loop, so no reply crosses threads.
///
/// Each slot is idle, connecting, connected, or waiting out a backoff after a failed connect. Commands take
/// the slots in turn; a command for a slot that is backing off fails at once with `unavailable`, so a Redis
/// that is down costs no connect timeout per request; after the backoff the next command connects again.
final class RedisLoopPool {
    private enum Slot {
        case idle
        case connecting(EventLoopFuture<RedisConnection>)
        case connected(RedisConnection)
        case backingOff(until: NIODeadline, error: RedisError)
    }

    private let configuration: RedisConfiguration
    private let loop: any EventLoop
    private let logger: Logger
    private var slots: [Slot]
    private var next = 0
    private var failures = 0
    private var isClosed = false

    init(configuration: RedisConfiguration, loop: any EventLoop, logger: Logger) {
        self.configuration = configuration
        self.loop = loop
        self.logger = logger
        slots = Array(repeating: .idle, count: configuration.connectionsPerEventLoop)
    }

    /// Sends a command on the next slot's connection, connecting it first when needed.
    func send(_ arguments: [String]) -> EventLoopFuture<RESPValue> {
        loop.preconditionInEventLoop()
        guard !isClosed else { return loop.makeFailedFuture(RedisError(.connectionClosed, "the Redis client is closed")) }
        let index = next
        next = (next + 1) % slots.count
        switch slots[index] {
        case .connected(let connection) where connection.isActive:
            return connection.send(arguments)
        case .connecting(let connecting):
            return connecting.flatMap { $0.send(arguments) }
        case .backingOff(let until, let error) where NIODeadline.now() < until:
            return loop.makeFailedFuture(RedisError(.unavailable, "Redis is unavailable (\(error.message))"))
        case .idle, .connected, .backingOff:
            return connect(slot: index).flatMap { $0.send(arguments) }
        }
    }

    /// Closes every connection; later commands fail with `connectionClosed`.
    func close() -> EventLoopFuture<Void> {
        loop.preconditionInEventLoop()
        isClosed = true
        let closing: [EventLoopFuture<Void>] = slots.compactMap { slot in
            switch slot {
            case .connected(let connection): connection.close()
            case .connecting(let connecting): connecting.flatMap { $0.close() }.recover { _ in }
            case .idle, .backingOff: nil
            }
        }
        slots = Array(repeating: .idle, count: slots.count)
        return EventLoopFuture.andAllComplete(closing, on: loop)
    }

    private func connect(slot index: Int) -> EventLoopFuture<RedisConnection> {
        let connecting = RedisConnection.connect(configuration, on: loop)
        slots[index] = .connecting(connecting)
        connecting.assumeIsolated().whenComplete { result in
            guard !self.isClosed else {
                if case .success(let connection) = result { _ = connection.close() }
                return
            }
            switch result {
            case .success(let connection):
                if self.failures > 0 {
                    self.logger.info("redis connection restored", metadata: ["redis": "\(self.configuration.endpoint)"])
                }
                self.failures = 0
                self.slots[index] = .connected(connection)
            case .failure(let error):
                let failure = error as? RedisError ?? RedisError(.connectFailed, "\(error)")
                self.failures += 1
                if self.failures == 1 {
                    self.logger.warning("redis connection failed", metadata: ["redis": "\(self.configuration.endpoint)", "error": "\(failure)"])
                }
                self.slots[index] = .backingOff(until: .now() + self.backoff, error: failure)
            }
        }
        return connecting
    }

    /// The wait after the latest failure: the initial backoff, doubled per consecutive failure, capped.
    private var backoff: TimeAmount {
        let doublings = min(failures - 1, 20)
        let wait = configuration.initialBackoff.nanoseconds << Int64(doublings)
        return .nanoseconds(min(wait, configuration.maximumBackoff.nanoseconds))
    }
}
