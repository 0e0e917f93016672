import PorticoRedis
import Testing

/// `redis://` URLs: every part, the defaults, the refusals, and a password that never shows.
@Suite struct RedisEndpointTests {
    static let valid: [(url: String, endpoint: RedisEndpoint)] = [
        ("redis://localhost", RedisEndpoint(host: "localhost")),
        ("redis://127.0.0.1:6380", RedisEndpoint(host: "127.0.0.1", port: 6380)),
        ("redis://127.0.0.1:6380/", RedisEndpoint(host: "127.0.0.1", port: 6380)),
        ("redis://:s3cret@cache:6379/2", RedisEndpoint(host: "cache", password: "s3cret", database: 2)),
        ("redis://limiter:p%40ss%3Aword@cache:7000/15", RedisEndpoint(host: "cache", port: 7000, username: "limiter", password: "p@ss:word", database: 15)),
        ("redis://limiter@cache", RedisEndpoint(host: "cache", username: "limiter")),
        ("redis://[::1]:6390/1", RedisEndpoint(host: "::1", port: 6390, database: 1)),
    ]

    @Test(arguments: valid.indices)
    func parsesEachPart(_ index: Int) throws {
        #expect(try RedisEndpoint(url: Self.valid[index].url) == Self.valid[index].endpoint)
    }

    static let invalid: [(url: String, message: String)] = [
        ("rediss://cache:6379", "rediss:// (Redis over TLS) is not supported yet; use redis:// on a trusted network"),
        ("http://cache:6379", "the scheme must be redis, got http"),
        ("cache:6379", "expected redis://[user[:password]@]host:port[/db]"),
        ("redis://cache:0", "the port must be between 1 and 65535, got 0"),
        ("redis://cache:6379/x", "the database must be a number, got x"),
        ("redis://:6379", "the URL names no host"),
    ]

    @Test(arguments: invalid.indices)
    func refusesWhatItCannotUse(_ index: Int) {
        #expect(throws: RedisError(.invalidURL, Self.invalid[index].message)) { try RedisEndpoint(url: Self.invalid[index].url) }
    }

    @Test func thePasswordNeverShows() throws {
        let endpoint = try RedisEndpoint(url: "redis://limiter:hunter2@cache:6379/3")
        #expect(endpoint.description == "redis://limiter:***@cache:6379/3")
        #expect(!RedisConfiguration(endpoint: endpoint).description.contains("hunter2"))
        #expect(!"\(endpoint)".contains("hunter2"))
    }
}
