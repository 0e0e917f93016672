import Yams
/// Reads a backend's `address:` or `endpoints:`, and its `resolve_interval:`, `balancer:`, `health_check:` and
/// `outlier_detection:` keys.
package enum UpstreamReader {
    /// The keys of `backend:` read here.
    package static let keys: Set<String> = ["address", "endpoints", "resolve_interval", "balancer", "health_check", "outlier_detection"]

    /// The backend's upstream settings; `nil` when it names no usable endpoint (reported).
    package static func read(_ backend: [String: ConfigNode], at node: ConfigNode) -> UpstreamSettings? {
        let endpoints: [HostPort]
        switch (backend["address"], backend["endpoints"]) {
        case (let address?, nil):
            guard let parsed = GatewayFileReader.address(address) else { return nil }
            endpoints = [parsed]
        case (nil, let list?):
            guard let parsed = endpointList(list) else { return nil }
            endpoints = parsed
        case (_?, _?):
            node.log.report("a backend has either address (one host:port) or endpoints (a list), not both", at: node.location)
            return nil
        case (nil, nil):
            node.log.report("backend needs an address (host:port) or endpoints (a list of host:port)", at: node.location)
            return nil
        }
        var settings = UpstreamSettings(endpoints: endpoints)
        if let value = backend["resolve_interval"].flatMap(GatewayFileReader.duration) { settings.resolveInterval = value }
        if let value = backend["balancer"].flatMap(balancer) { settings.balancer = value }
        if let check = backend["health_check"] {
            settings.healthCheck = PolicyReader.isOff(check) ? nil : healthCheck(check)
        }
        if let outliers = backend["outlier_detection"] {
            settings.outlierDetection = PolicyReader.isOff(outliers) ? nil : outlierDetection(outliers)
        }
        return settings
    }

    /// A list of `host:port`, or one string of them separated by commas (`${PRODUCTS_ENDPOINTS:-a:1,b:2}`).
    private static func endpointList(_ node: ConfigNode) -> [HostPort]? {
        var parsed: [HostPort] = []
        if case .scalar = node.node {
            guard let text = node.string() else { return nil }
            for part in text.value.split(separator: ",") {
                let trimmed = String(part.filter { !$0.isWhitespace })
                guard let address = HostPort(parsing: trimmed) else {
                    node.log.report("expected host:port, got \"\(trimmed)\"", at: node.location)
                    return nil
                }
                parsed.append(address)
            }
        } else {
            guard let elements = node.elements() else { return nil }
            parsed = elements.compactMap(GatewayFileReader.address)
            guard parsed.count == elements.count else { return nil }
        }
        guard !parsed.isEmpty else {
            node.log.report("endpoints needs at least one host:port", at: node.location)
            return nil
        }
        for (index, endpoint) in parsed.enumerated() where parsed[..<index].contains(endpoint) {
            node.log.report("endpoint \(endpoint) is listed twice", at: node.location)
            return nil
        }
        return parsed
    }

    /// `p2c`, `round_robin`, or `{ policy: ring_hash, hash_on: { header: x-user-id } }`.
    private static func balancer(_ node: ConfigNode) -> BalancerSettings? {
        if case .scalar = node.node {
            guard let policy = policy(node) else { return nil }
            if policy == .ringHash {
                node.log.report("ring_hash needs hash_on: write balancer: { policy: ring_hash, hash_on: { header: x-user-id } }", at: node.location)
                return nil
            }
            return BalancerSettings(policy: policy)
        }
        guard let fields = node.fields(allowed: ["policy", "hash_on"]) else { return nil }
        let policy = fields["policy"].flatMap(Self.policy) ?? .powerOfTwoChoices
        let hashOn = fields["hash_on"].flatMap(hashKey)
        if policy == .ringHash, hashOn == nil, fields["hash_on"] == nil {
            node.log.report("ring_hash needs hash_on: { header: NAME }, { claim: sub|client_id|plan } or { path: FIELD }", at: node.location)
            return nil
        }
        if policy != .ringHash, let hashNode = fields["hash_on"] {
            hashNode.log.report("hash_on applies to the ring_hash policy only", at: hashNode.location)
            return nil
        }
        return BalancerSettings(policy: policy, hashOn: hashOn)
    }

    private static func policy(_ node: ConfigNode) -> BalancerSettings.Policy? {
        guard let text = node.string() else { return nil }
        guard let policy = BalancerSettings.Policy(rawValue: text.value) else {
            node.log.report("balancer policy must be p2c, round_robin or ring_hash, got \"\(text.value)\"", at: node.location)
            return nil
        }
        return policy
    }

    private static func hashKey(_ node: ConfigNode) -> BalancerSettings.HashKey? {
        guard let entries = node.entries() else { return nil }
        guard entries.count == 1, let (kind, valueNode) = entries.first, let value = valueNode.string() else {
            node.log.report("hash_on takes one of header, claim or path", at: node.location)
            return nil
        }
        switch kind.value {
        case "header":
            return .header(value.value.lowercased())
        case "claim":
            guard ["sub", "client_id", "plan"].contains(value.value) else {
                valueNode.log.report("claim must be sub, client_id or plan, got \"\(value.value)\"", at: valueNode.location)
                return nil
            }
            return .claim(value.value)
        case "path":
            return .pathVariable(value.value)
        default:
            node.log.report("unknown key \"\(kind.value)\" (expected one of: claim, header, path)", at: kind.location)
            return nil
        }
    }

    private static func healthCheck(_ node: ConfigNode) -> HealthCheckSettings? {
        var settings = HealthCheckSettings()
        if case .scalar = node.node {
            guard let enabled = node.bool() else { return nil }
            return enabled.value ? settings : nil
        }
        let allowed: Set<String> = ["service", "interval", "timeout", "healthy_threshold", "unhealthy_threshold"]
        guard let fields = node.fields(allowed: allowed) else { return nil }
        if let value = fields["service"]?.string() { settings.service = value.value }
        if let value = fields["interval"].flatMap(GatewayFileReader.duration) { settings.interval = value }
        if let value = fields["timeout"].flatMap(GatewayFileReader.duration) { settings.timeout = value }
        if let value = fields["healthy_threshold"].flatMap(PolicyReader.positive) { settings.healthyThreshold = value }
        if let value = fields["unhealthy_threshold"].flatMap(PolicyReader.positive) { settings.unhealthyThreshold = value }
        if settings.timeout > settings.interval {
            node.log.report("the health check timeout must not exceed its interval", at: node.location)
            return nil
        }
        return settings
    }

    private static func outlierDetection(_ node: ConfigNode) -> OutlierDetectionSettings? {
        let allowed: Set<String> = ["consecutive_failures", "base_ejection_time", "max_ejection_time", "max_ejected_percent", "panic_threshold"]
        guard let fields = node.fields(allowed: allowed) else { return nil }
        var settings = OutlierDetectionSettings()
        if let value = fields["consecutive_failures"].flatMap(PolicyReader.positive) { settings.consecutiveFailures = value }
        if let value = fields["base_ejection_time"].flatMap(GatewayFileReader.duration) { settings.baseEjectionTime = value }
        if let value = fields["max_ejection_time"].flatMap(GatewayFileReader.duration) { settings.maxEjectionTime = value }
        if let value = fields["max_ejected_percent"].flatMap(PolicyReader.share) { settings.maxEjectedShare = value }
        if let value = fields["panic_threshold"].flatMap(PolicyReader.share) { settings.panicThreshold = value }
        if settings.maxEjectionTime < settings.baseEjectionTime {
            node.log.report("max_ejection_time is shorter than base_ejection_time", at: node.location)
            return nil
        }
        return settings
    }
}
