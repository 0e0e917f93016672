import PorticoRedis
import Yams

/// Reads `gateway.yaml`: listeners, API versions, limits and defaults.
package enum GatewayFileReader {
    package static func read(_ root: ConfigNode) -> GatewaySettings {
        var settings = GatewaySettings()
        guard let fields = root.fields(allowed: [
            "listen", "admin", "versions", "limits", "defaults", "headers", "access_log", "rate_limits", "client_ip", "auth", "cors", "cache", "tls",
        ]) else {
            return settings
        }
        if let listen = fields["listen"].flatMap(address) { settings.listen = listen }
        settings.admin = fields["admin"].flatMap(address)
        if let versions = fields["versions"] { settings.versions = readVersions(versions) }
        if let limits = fields["limits"] { settings.limits = readLimits(limits) }
        if let defaults = fields["defaults"]?.fields(allowed: PolicyReader.keys.union(["timeout"])) {
            if let timeout = defaults["timeout"].flatMap(duration) { settings.defaultTimeout = timeout }
            settings.policies = PolicyReader.read(defaults, over: settings.policies)
        }
        if let rateLimits = fields["rate_limits"] { settings.rateLimits = readRateLimits(rateLimits) }
        if let clientIP = fields["client_ip"]?.fields(allowed: ["trusted_proxies"]) {
            settings.trustedProxies = (clientIP["trusted_proxies"]?.strings() ?? []).compactMap { text in
                guard let network = IPNetwork(parsing: text.value) else {
                    root.log.report("expected an address or a CIDR network such as 10.0.0.0/8, got \"\(text.value)\"", at: text.location)
                    return nil
                }
                return network
            }
        }
        if let headers = fields["headers"] { settings.headers = readHeaders(headers) }
        if let auth = fields["auth"] { settings.auth = AuthSettingsReader.read(auth) }
        if let tls = fields["tls"] { settings.tls = TLSSettingsReader.read(tls) }
        if let auth = fields["auth"], auth.hasKey("forward"), settings.auth.jwt == nil, settings.auth.apiKeys == nil, settings.tls?.clientCA == nil {
            root.log.report("forward needs jwt, api_keys or tls.client_ca", at: auth.location)
        }
        if case .policy(let policy)? = fields["cors"].flatMap(CORSReader.read) { settings.cors = policy }
        if let cache = fields["cache"]?.fields(allowed: ["max_bytes"]), let bytes = cache["max_bytes"].flatMap(byteSize) {
            settings.cacheMaxBytes = bytes
        }
        if let accessLog = fields["access_log"]?.string() {
            switch accessLog.value {
            case "stdout": settings.accessLog = true
            case "off": settings.accessLog = false
            default: root.log.report("access_log must be stdout or off, got \"\(accessLog.value)\"", at: accessLog.location)
            }
        }
        return settings
    }

    package static func address(_ node: ConfigNode) -> HostPort? {
        guard let text = node.string() else { return nil }
        guard let address = HostPort(parsing: text.value) else {
            node.log.report("expected host:port, got \"\(text.value)\"", at: node.location)
            return nil
        }
        return address
    }

    package static func duration(_ node: ConfigNode) -> Duration? {
        guard let text = node.string() else { return nil }
        guard let value = DurationParser.parse(text.value), value > .zero else {
            node.log.report("expected a duration such as 250ms, 2s or 1m30s, got \"\(text.value)\"", at: node.location)
            return nil
        }
        return value
    }

    package static func byteSize(_ node: ConfigNode) -> Int? {
        guard let text = node.string() else { return nil }
        guard let value = ByteSizeParser.parse(text.value), value > 0 else {
            node.log.report("expected a size such as 65536, 64KiB or 4MiB, got \"\(text.value)\"", at: node.location)
            return nil
        }
        return value
    }

    private static func readVersions(_ node: ConfigNode) -> VersionPolicy {
        var policy = VersionPolicy()
        guard let fields = node.fields(allowed: ["header", "default", "supported", "deprecated"]) else { return policy }
        if let header = fields["header"]?.string() {
            policy.header = header.value.lowercased()
        }
        if let value = fields["default"]?.string() { policy.defaultVersion = value.value }
        var supported = [policy.defaultVersion]
        for version in fields["supported"]?.strings() ?? [] where !supported.contains(version.value) {
            supported.append(version.value)
        }
        for (version, value) in fields["deprecated"]?.entries() ?? [] {
            guard let deprecation = readDeprecation(value) else { continue }
            if version.value == policy.defaultVersion {
                node.log.report("the default version cannot be deprecated", at: version.location)
            }
            policy.deprecated[version.value] = deprecation
            if !supported.contains(version.value) { supported.append(version.value) }
        }
        policy.supported = supported
        return policy
    }

    /// `"2027-06-30"` (the sunset day) or `{ since: "2026-01-01", sunset: "2027-06-30" }`.
    private static func readDeprecation(_ node: ConfigNode) -> VersionDeprecation? {
        if node.node.scalar != nil {
            return date(node).map { VersionDeprecation(sunset: $0) }
        }
        guard let fields = node.fields(allowed: ["since", "sunset"]) else { return nil }
        guard let sunsetNode = fields["sunset"] else {
            node.log.report("a deprecation needs a sunset date", at: node.location)
            return nil
        }
        let since = fields["since"].flatMap(date)
        guard let sunset = date(sunsetNode) else { return nil }
        if let since, sunset < since {
            node.log.report("the sunset date is before the deprecation date", at: sunsetNode.location)
        }
        return VersionDeprecation(since: since, sunset: sunset)
    }

    private static func date(_ node: ConfigNode) -> CalendarDate? {
        guard let text = node.string() else { return nil }
        guard let value = CalendarDate(parsing: text.value) else {
            node.log.report("expected a date YYYY-MM-DD, got \"\(text.value)\"", at: node.location)
            return nil
        }
        return value
    }

    /// `headers: { request: [accept-language], response: [x-cache] }`.
    private static func readHeaders(_ node: ConfigNode) -> HeaderForwarding {
        guard let fields = node.fields(allowed: ["request", "response"]) else { return HeaderForwarding() }
        return HeaderForwarding(
            requestHeaders: headerNames(fields["request"]),
            responseMetadata: headerNames(fields["response"])
        )
    }

    private static func headerNames(_ node: ConfigNode?) -> [String] {
        var names: [String] = []
        for name in node?.strings() ?? [] {
            if let refusal = HeaderForwarding.refusal(for: name.value) {
                node?.log.report(refusal, at: name.location)
            } else if !names.contains(name.value.lowercased()) {
                names.append(name.value.lowercased())
            }
        }
        return names
    }

    /// `rate_limits: { max_keys: 1000000, plans: { free: { limit: 60, period: 1m } } }`.
    private static func readRateLimits(_ node: ConfigNode) -> RateLimitSettings {
        var settings = RateLimitSettings()
        guard let fields = node.fields(allowed: ["max_keys", "plans", "per_client", "redis"]) else { return settings }
        if let redis = fields["redis"] { settings.redis = readRedis(redis) }
        if let perClient = fields["per_client"], let rule = PolicyReader.rateLimitRule(perClient) {
            if rule.key == .clientIP {
                settings.perClient = rule
            } else {
                node.log.report("per_client counts by client address; its key can only be client_ip", at: perClient.location)
            }
        }
        if let maxKeys = fields["max_keys"]?.count() {
            if maxKeys.value >= 1 {
                settings.maxKeys = maxKeys.value
            } else {
                node.log.report("max_keys must be at least 1", at: maxKeys.location)
            }
        }
        for (plan, body) in fields["plans"]?.entries() ?? [] {
            settings.plans[plan.value] = PolicyReader.rateLimitRule(body)
        }
        return settings
    }

    /// `rate_limits.redis: { url: redis://host:6379/0, timeout: 50ms, failure_mode: open, ... }`; `nil` when the
    /// url is empty (Redis off).
    private static func readRedis(_ node: ConfigNode) -> RedisRateLimitSettings? {
        guard let fields = node.fields(allowed: ["url", "timeout", "failure_mode", "connections_per_event_loop", "key_prefix"]) else {
            return nil
        }
        guard let url = fields["url"]?.string() else {
            node.log.report("redis needs a url (an empty one turns Redis off)", at: node.location)
            return nil
        }
        guard !url.value.isEmpty else { return nil }
        let endpoint: RedisEndpoint
        do {
            endpoint = try RedisEndpoint(url: url.value)
        } catch {
            node.log.report("redis url: \(error.message)", at: url.location)
            return nil
        }
        var settings = RedisRateLimitSettings(endpoint: endpoint)
        if let timeout = fields["timeout"].flatMap(duration) { settings.timeout = timeout }
        if let mode = fields["failure_mode"]?.string() {
            if let failureMode = RedisRateLimitSettings.FailureMode(rawValue: mode.value) {
                settings.failureMode = failureMode
            } else {
                node.log.report("failure_mode must be open or closed, got \"\(mode.value)\"", at: mode.location)
            }
        }
        if let count = fields["connections_per_event_loop"]?.count() {
            if (1...64).contains(count.value) {
                settings.connectionsPerEventLoop = count.value
            } else {
                node.log.report("connections_per_event_loop must be between 1 and 64", at: count.location)
            }
        }
        if let prefix = fields["key_prefix"]?.string() { settings.keyPrefix = prefix.value }
        return settings
    }

    private static func readLimits(_ node: ConfigNode) -> RequestLimits {
        var limits = RequestLimits()
        guard let fields = node.fields(allowed: [
            "max_body_bytes", "max_header_bytes", "max_json_depth", "request_head_timeout", "body_read_timeout", "keep_alive_timeout",
            "max_connections", "max_connections_per_client", "max_in_flight", "max_pipelined_requests", "http2_max_concurrent_streams",
        ]) else {
            return limits
        }
        if let value = fields["request_head_timeout"].flatMap(duration) { limits.requestHeadTimeout = value }
        if let value = fields["body_read_timeout"].flatMap(duration) { limits.bodyReadTimeout = value }
        if let value = fields["keep_alive_timeout"].flatMap(duration) { limits.keepAliveTimeout = value }
        for (key, path) in [("max_connections", \RequestLimits.maxConnections), ("max_connections_per_client", \.maxConnectionsPerClient),
                            ("max_in_flight", \.maxInFlight), ("max_pipelined_requests", \.maxPipelinedRequests),
                            ("http2_max_concurrent_streams", \.http2MaxConcurrentStreams)] {
            guard let count = fields[key]?.count() else { continue }
            if count.value > 0 {
                limits[keyPath: path] = count.value
            } else {
                node.log.report("\(key) must be at least 1", at: count.location)
            }
        }
        if let value = fields["max_body_bytes"].flatMap(byteSize) { limits.maxBodyBytes = value }
        if let value = fields["max_header_bytes"].flatMap(byteSize) { limits.maxHeaderBytes = value }
        if let depth = fields["max_json_depth"]?.count() {
            if (1...1000).contains(depth.value) {
                limits.maxJSONDepth = depth.value
            } else {
                node.log.report("max_json_depth must be between 1 and 1000", at: depth.location)
            }
        }
        return limits
    }
}
