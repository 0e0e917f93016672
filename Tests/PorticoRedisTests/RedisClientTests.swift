import NIOCore
import NIOPosix
import PorticoRedis
import PorticoTesting
import Testing

/// The client against a real `redis-server`: pipelining, login, database selection, scripts after a flush,
/// timeouts against a paused server, and reconnecting to a server that comes back.
@Suite struct RedisClientTests {
    /// A server, a one-loop group and a client of `endpoint` (the server's, by default), closed afterwards.
    static func withClient(
        _ configure: (inout RedisConfiguration) -> Void = { _ in },
        _ body: (RedisServer, RedisClient, any EventLoop) async throws -> Void
    ) async throws {
        let server = try await RedisServer.start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var configuration = RedisConfiguration(endpoint: RedisEndpoint(host: "127.0.0.1", port: server.port), commandTimeout: .seconds(5))
        configure(&configuration)
        let client = RedisClient(configuration: configuration)
        do {
            try await body(server, client, group.next())
        } catch {
            await client.shutdown()
            server.stop()
            try await group.shutdownGracefully()
            throw error
        }
        await client.shutdown()
        server.stop()
        try await group.shutdownGracefully()
    }

    @Test func manyCommandsInFlightOnOneConnectionGetTheirOwnReplies() async throws {
        try await Self.withClient { _, client, loop in
            let replies = try await loop.flatSubmit {
                EventLoopFuture.whenAllSucceed((1...2000).map { _ in client.send(["INCR", "counter"], on: loop) }, on: loop)
            }.get()
            #expect(replies == (1...2000).map { RESPValue.integer(Int64($0)) }, "replies come back in the order the commands went out")
            let clients = try await client.send(["CLIENT", "LIST"], on: loop).get().text ?? ""
            #expect(clients.split(separator: "\n").count == 1, "one connection carried every command")
        }
    }

    @Test func anACLUserLogsInAndAWrongPasswordIsRefusedWithoutShowingIt() async throws {
        try await Self.withClient { server, admin, loop in
            _ = try await admin.send(["ACL", "SETUSER", "limiter", "on", ">right-password", "~portico:*", "+@all"], on: loop).get()
            let user = RedisClient(configuration: RedisConfiguration(
                endpoint: RedisEndpoint(host: "127.0.0.1", port: server.port, username: "limiter", password: "right-password")
            ))
            #expect(try await user.send(["ACL", "WHOAMI"], on: loop).get().text == "limiter")
            await user.shutdown()

            let wrong = RedisClient(configuration: RedisConfiguration(
                endpoint: RedisEndpoint(host: "127.0.0.1", port: server.port, username: "limiter", password: "wrong-password")
            ))
            let error = try await #require(throws: RedisError.self) { try await wrong.send(["PING"], on: loop).get() }
            #expect(error.code == .authenticationFailed)
            #expect(error.message.contains("WRONGPASS"))
            #expect(!error.description.contains("wrong-password"))
            await wrong.shutdown()
        }
    }

    @Test func eachConnectionSelectsItsDatabase() async throws {
        try await Self.withClient({ $0.endpoint.database = 3 }) { server, client, loop in
            _ = try await client.send(["SET", "where", "three"], on: loop).get()
            let databaseZero = RedisClient(configuration: RedisConfiguration(endpoint: RedisEndpoint(host: "127.0.0.1", port: server.port)))
            #expect(try await databaseZero.send(["GET", "where"], on: loop).get() == .bulkString(nil))
            #expect(try await databaseZero.send(["SELECT", "3"], on: loop).get() == .simpleString("OK"))
            #expect(try await databaseZero.send(["GET", "where"], on: loop).get().text == "three")
            await databaseZero.shutdown()
        }
    }

    @Test func aFlushedScriptIsLoadedAgainAndRetriedOnce() async throws {
        try await Self.withClient { _, client, loop in
            let script = RedisScript(source: "return redis.call('INCR', KEYS[1])")
            #expect(try await client.evaluate(script, keys: ["runs"], arguments: [], on: loop).get() == .integer(1))
            #expect(try await client.send(["SCRIPT", "FLUSH"], on: loop).get() == .simpleString("OK"))
            #expect(try await client.evaluate(script, keys: ["runs"], arguments: [], on: loop).get() == .integer(2))
            let info = try await client.send(["INFO", "commandstats"], on: loop).get().text ?? ""
            #expect(info.contains("cmdstat_script|load:calls=2"), "loaded once, and once more after the flush")
            #expect(info.contains("cmdstat_evalsha:calls=3"), "the flushed EVALSHA was sent again once")
        }
    }

    @Test func aCommandToAPausedServerTimesOut() async throws {
        try await Self.withClient({ $0.commandTimeout = .milliseconds(100) }) { server, client, loop in
            let admin = RedisClient(configuration: RedisConfiguration(endpoint: RedisEndpoint(host: "127.0.0.1", port: server.port)))
            #expect(try await client.send(["PING"], on: loop).get() == .simpleString("PONG"))
            #expect(try await admin.send(["CLIENT", "PAUSE", "30000", "ALL"], on: loop).get() == .simpleString("OK"))
            let error = try await #require(throws: RedisError.self) { try await client.send(["GET", "anything"], on: loop).get() }
            #expect(error.code == .timeout)
            await admin.shutdown()
        }
    }

    @Test func aServerThatComesBackIsUsedAgain() async throws {
        try await Self.withClient({ $0.initialBackoff = .milliseconds(10); $0.maximumBackoff = .milliseconds(50) }) { server, client, loop in
            #expect(try await client.send(["SET", "before", "1"], on: loop).get() == .simpleString("OK"))
            server.stop()
            let error = try await #require(throws: RedisError.self) { try await client.send(["PING"], on: loop).get() }
            #expect([.connectionClosed, .connectFailed, .unavailable].contains(error.code))

            let restarted = try await RedisServer.start(port: server.port)
            defer { restarted.stop() }
            let reply = try await Self.poll { try? await client.send(["PING"], on: loop).get() }
            #expect(reply == .simpleString("PONG"))
        }
    }

    /// Calls `attempt` until it gives a value, for at most ten seconds (a backoff has to pass first).
    static func poll<Value>(_ attempt: () async -> Value?) async throws -> Value? {
        let clock = ContinuousClock()
        let end = clock.now + .seconds(10)
        while clock.now < end {
            if let value = await attempt() { return value }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}
