import PorticoCore
import Yams

/// Reads the policy keys shared by `defaults:` and `backend:`: `auth`, `rate_limit`, `circuit_breaker`,
/// `retries`, `json` and `expose_errors` (routes take `auth`, `rate_limit` and `json`). Each setting read
/// over an inherited one replaces only the keys it names.
package enum PolicyReader {
    /// The policy keys a mapping may hold next to its own.
    package static let keys: Set<String> = ["auth", "rate_limit", "circuit_breaker", "retries", "json", "expose_errors"]

    /// `inherited` with every policy key of `fields` read over it.
    package static func read(_ fields: [String: ConfigNode], over inherited: EdgePolicies) -> EdgePolicies {
        var policies = inherited
        if let node = fields["auth"], let mode = authMode(node) { policies.auth = AuthRequirement(mode: mode) }
        if let node = fields["rate_limit"], let setting = rateLimit(node) { policies.rateLimit = setting }
        if let node = fields["circuit_breaker"] {
            policies.circuitBreaker = isOff(node) ? nil : circuitBreaker(node, over: inherited.circuitBreaker ?? CircuitBreakerSettings())
        }
        if let node = fields["retries"] {
            policies.retries = isOff(node) ? nil : retries(node, over: inherited.retries ?? RetrySettings())
        }
        if let node = fields["json"], let overrides = json(node) { policies.json = overrides.applied(to: inherited.json) }
        if let value = fields["expose_errors"]?.bool() { policies.exposeErrors = value.value }
        return policies
    }

    /// `{ emit_unpopulated: true, enums_as_numbers: true, use_proto_names: true, ignore_unknown_fields: true }`.
    package static func json(_ node: ConfigNode) -> JSONOverrides? {
        let allowed: Set<String> = ["emit_unpopulated", "enums_as_numbers", "use_proto_names", "ignore_unknown_fields"]
        guard let fields = node.fields(allowed: allowed) else { return nil }
        return JSONOverrides(
            emitUnpopulated: fields["emit_unpopulated"]?.bool()?.value,
            enumsAsNumbers: fields["enums_as_numbers"]?.bool()?.value,
            useProtoNames: fields["use_proto_names"]?.bool()?.value,
            ignoreUnknownFields: fields["ignore_unknown_fields"]?.bool()?.value
        )
    }

    /// `none`, `jwt`, `api_key`, `any` or `mtls`.
    package static func authMode(_ node: ConfigNode) -> AuthMode? {
        guard let text = node.string() else { return nil }
        guard let mode = AuthMode(rawValue: text.value) else {
            node.log.report("auth must be none, jwt, api_key, any or mtls, got \"\(text.value)\"", at: node.location)
            return nil
        }
        return mode
    }

    /// `off` or `{ limit: 100, period: 1m, burst: 20, key: client_ip | principal | api_key }`.
    package static func rateLimit(_ node: ConfigNode) -> RateLimitSetting? {
        if isOff(node) { return .off }
        return rateLimitRule(node).map(RateLimitSetting.limit)
    }

    /// `{ limit: 100, period: 1m, burst: 20, key: principal }`; `period` defaults to one second.
    package static func rateLimitRule(_ node: ConfigNode) -> RateLimitRule? {
        guard let fields = node.fields(allowed: ["limit", "period", "burst", "key"]) else { return nil }
        guard let limitNode = fields["limit"] else {
            node.log.report("a rate limit needs a limit (requests per period)", at: node.location)
            return nil
        }
        guard let limit = positive(limitNode) else { return nil }
        let period = fields["period"].flatMap(GatewayFileReader.duration) ?? .seconds(1)
        let burst = fields["burst"].flatMap(positive)
        var key = RateLimitKey.clientIP
        if let keyNode = fields["key"], let text = keyNode.string() {
            if let value = RateLimitKey(rawValue: text.value) {
                key = value
            } else {
                keyNode.log.report("key must be client_ip, principal or api_key, got \"\(text.value)\"", at: keyNode.location)
            }
        }
        return RateLimitRule(limit: limit, period: period, burst: burst, key: key)
    }

    private static func circuitBreaker(_ node: ConfigNode, over base: CircuitBreakerSettings) -> CircuitBreakerSettings? {
        let allowed: Set<String> = [
            "consecutive_failures", "failure_ratio", "window", "minimum_requests", "open_for", "half_open_probes",
            "max_concurrent_requests", "failure_codes",
        ]
        guard let fields = node.fields(allowed: allowed) else { return nil }
        var settings = base
        if let value = fields["consecutive_failures"]?.count() { settings.consecutiveFailures = value.value }
        if let ratioNode = fields["failure_ratio"] {
            settings.failureRatio = isOff(ratioNode) ? nil : (share(ratioNode) ?? settings.failureRatio)
        }
        if let value = fields["window"].flatMap(GatewayFileReader.duration) { settings.window = value }
        if let value = fields["minimum_requests"]?.count() { settings.minimumRequests = value.value }
        if let value = fields["open_for"].flatMap(GatewayFileReader.duration) { settings.openDuration = value }
        if let value = fields["half_open_probes"].flatMap(positive) { settings.halfOpenProbes = value }
        if let capNode = fields["max_concurrent_requests"] {
            settings.maxConcurrentRequests = isOff(capNode) ? nil : (positive(capNode) ?? settings.maxConcurrentRequests)
        }
        if let codes = fields["failure_codes"].flatMap(statusCodes) { settings.failureCodes = codes }
        return settings
    }

    private static func retries(_ node: ConfigNode, over base: RetrySettings) -> RetrySettings? {
        let allowed: Set<String> = ["attempts", "backoff", "max_backoff", "budget", "minimum_retries", "retry_on"]
        guard let fields = node.fields(allowed: allowed) else { return nil }
        var settings = base
        if let value = fields["attempts"]?.count() {
            if value.value > 10 {
                node.log.report("attempts must be at most 10", at: value.location)
            } else {
                settings.attempts = value.value
            }
        }
        if let value = fields["backoff"].flatMap(GatewayFileReader.duration) { settings.backoff = value }
        if let value = fields["max_backoff"].flatMap(GatewayFileReader.duration) { settings.maxBackoff = value }
        if settings.maxBackoff < settings.backoff {
            node.log.report("max_backoff is shorter than backoff", at: node.location)
        }
        if let value = fields["budget"].flatMap(share) { settings.budget = value }
        if let value = fields["minimum_retries"]?.count() { settings.minimumRetries = value.value }
        if let codes = fields["retry_on"].flatMap(statusCodes) { settings.retryOn = codes }
        return settings
    }

    /// `off` (or `false`) written where a policy can be switched off.
    package static func isOff(_ node: ConfigNode) -> Bool {
        guard case .scalar(let scalar) = node.node else { return false }
        return scalar.string == "off" || scalar.string == "false"
    }

    package static func positive(_ node: ConfigNode) -> Int? {
        guard let value = node.count() else { return nil }
        guard value.value > 0 else {
            node.log.report("expected a positive integer, got 0", at: node.location)
            return nil
        }
        return value.value
    }

    /// A share written as `20%` or `0.2`, between 0 and 1.
    package static func share(_ node: ConfigNode) -> Double? {
        guard let text = node.string() else { return nil }
        let value: Double?
        if text.value.hasSuffix("%") {
            value = Double(text.value.dropLast()).map { $0 / 100 }
        } else {
            value = Double(text.value)
        }
        guard let value, value >= 0, value <= 1 else {
            node.log.report("expected a share such as 20% or 0.2, got \"\(text.value)\"", at: node.location)
            return nil
        }
        return value
    }

    /// A list of gRPC code names (`[UNAVAILABLE, INTERNAL]`).
    private static func statusCodes(_ node: ConfigNode) -> Set<GRPCStatusCode>? {
        var codes: Set<GRPCStatusCode> = []
        for name in node.strings() ?? [] {
            guard let code = (0...16).map(GRPCStatusCode.init(rawValue:)).first(where: { $0.name == name.value.uppercased() }), code != .ok else {
                node.log.report("\"\(name.value)\" is not a gRPC status code name such as UNAVAILABLE", at: name.location)
                continue
            }
            codes.insert(code)
        }
        return codes
    }
}
