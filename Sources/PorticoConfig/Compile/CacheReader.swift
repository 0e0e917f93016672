/// Reads a route's `cache:`: `off`, or `{ ttl: 30s, stale_while_revalidate: 10s, stale_if_error: 5m,
/// shared: false }`.
package enum CacheReader {
    package static func read(_ node: ConfigNode) -> CacheSetting? {
        if PolicyReader.isOff(node) { return .off }
        guard let fields = node.fields(allowed: ["ttl", "stale_while_revalidate", "stale_if_error", "shared"]) else { return nil }
        guard let ttlNode = fields["ttl"] else {
            node.log.report("a cache needs a ttl", at: node.location)
            return nil
        }
        guard let ttl = GatewayFileReader.duration(ttlNode) else { return nil }
        return .rule(CacheRule(
            ttl: ttl,
            staleWhileRevalidate: fields["stale_while_revalidate"].flatMap(GatewayFileReader.duration) ?? .zero,
            staleIfError: fields["stale_if_error"].flatMap(GatewayFileReader.duration) ?? .zero,
            shared: fields["shared"]?.bool()?.value ?? false
        ))
    }
}
