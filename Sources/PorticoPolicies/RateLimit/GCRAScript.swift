import PorticoRedis

/// The generic cell rate algorithm of ``GCRA`` as one Lua script, so a decision shared by every gateway
/// instance is exactly one Redis round trip and atomic.
///
/// `KEYS[1]` holds the key's theoretical arrival time (TAT) in microseconds of Redis's own clock (`TIME`), so
/// every instance decides on one clock. `ARGV[1]` is the emission interval and `ARGV[2]` the tolerance, in
/// microseconds. Lua numbers are doubles, exact for integers below 2^53 (285 years of microseconds since
/// 1970), and every step is integer arithmetic; the TAT is written with `%d` so it is stored exactly. An
/// admitted request stores the new TAT with a TTL of the time until it is reached, so an idle key vanishes
/// when forgetting it changes nothing. The reply is `{allowed (0 or 1), remaining, retry after µs, reset
/// after µs}`.
enum GCRAScript {
    static let script = RedisScript(source: """
        local interval = tonumber(ARGV[1])
        local tolerance = tonumber(ARGV[2])
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
        local tat = tonumber(redis.call('GET', KEYS[1]) or now)
        if tat < now then tat = now end
        local ahead = tat - now
        if ahead > tolerance then
          return {0, 0, ahead - tolerance, ahead}
        end
        local nextTAT = tat + interval
        local used = nextTAT - now
        redis.call('SET', KEYS[1], string.format('%d', nextTAT), 'PX', math.ceil(used / 1000))
        local remaining = math.floor((tolerance + interval - used) / interval)
        if remaining < 0 then remaining = 0 end
        return {1, remaining, 0, used}
        """)
}
