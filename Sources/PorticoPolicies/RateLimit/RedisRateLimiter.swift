public import NIOCore
public import PorticoRedis
import Crypto

/// Rate limits shared by every gateway instance: each decision is one `EVALSHA` of ``GCRAScript`` in Redis,
/// on Redis's clock, so N instances admit a limit once, not N times.
///
/// Decisions are the same ``RateLimitDecision`` the local ``RateLimiter`` makes (the same headers follow
/// from them). Keys are `keyPrefix` plus the caller's key; a key longer than ``maxKeyBytes`` is replaced by
/// its SHA-256, so a long principal cannot make long Redis keys.
public final class RedisRateLimiter: Sendable {
    /// The longest caller key stored as it is.
    public static let maxKeyBytes = 128
    public let client: RedisClient
    public let keyPrefix: String

    public init(client: RedisClient, keyPrefix: String) {
        self.client = client
        self.keyPrefix = keyPrefix
    }

    /// Decides one request of `key` under `policy`, completing on `loop`.
    ///
    /// - Returns: the decision, or a failed future with the ``RedisError`` (unreachable, timed out, refused).
    public func acquire(key: String, policy: RateLimitPolicy, on loop: any EventLoop) -> EventLoopFuture<RateLimitDecision> {
        let interval = max(1, policy.emissionInterval.nanoseconds / 1000)
        let tolerance = interval * Int64(policy.burst - 1)
        return client.evaluate(
            GCRAScript.script, keys: [redisKey(key)], arguments: [String(interval), String(tolerance)], on: loop
        ).flatMapThrowing { reply in
            guard case .array(let fields?) = reply, fields.count == 4,
                  let allowed = fields[0].integer, let remaining = fields[1].integer,
                  let retryAfter = fields[2].integer, let resetAfter = fields[3].integer else {
                throw RedisError(.protocolError, "the rate-limit script answered an unexpected reply")
            }
            return RateLimitDecision(
                isAllowed: allowed == 1, remaining: Int(remaining), retryAfter: .microseconds(retryAfter),
                resetAfter: .microseconds(resetAfter), policy: policy
            )
        }
    }

    /// The Redis key of a caller key: the prefix and the key, or the prefix, `sha256:` and its digest when long.
    public func redisKey(_ key: String) -> String {
        guard key.utf8.count > Self.maxKeyBytes else { return keyPrefix + key }
        let digest = SHA256.hash(data: Array(key.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
        return keyPrefix + "sha256:" + digest
    }
}
