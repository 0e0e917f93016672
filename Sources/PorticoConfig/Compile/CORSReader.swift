/// Reads `cors:`: `off`, or `{ allow_origins: [...], allow_methods, allow_headers, expose_headers,
/// allow_credentials, max_age }`.
package enum CORSReader {
    package static func read(_ node: ConfigNode) -> CORSSetting? {
        if PolicyReader.isOff(node) { return .off }
        guard let fields = node.fields(allowed: [
            "allow_origins", "allow_methods", "allow_headers", "expose_headers", "allow_credentials", "max_age",
        ]) else { return nil }
        guard let originsNode = fields["allow_origins"], let origins = originsNode.strings() else {
            if fields["allow_origins"] == nil { node.log.report("cors needs allow_origins", at: node.location) }
            return nil
        }
        var patterns: [OriginPattern] = []
        for origin in origins {
            guard let pattern = OriginPattern(parsing: origin.value) else {
                node.log.report(
                    "expected an origin such as https://app.example.com, https://*.example.com or *, got \"\(origin.value)\"",
                    at: origin.location
                )
                continue
            }
            patterns.append(pattern)
        }
        var policy = CORSPolicy(allowOrigins: patterns)
        if let methods = fields["allow_methods"]?.strings() { policy.allowMethods = methods.map { $0.value.uppercased() } }
        if let headers = fields["allow_headers"]?.strings() { policy.allowHeaders = headers.map { $0.value.lowercased() } }
        if let headers = fields["expose_headers"]?.strings() { policy.exposeHeaders = headers.map { $0.value.lowercased() } }
        if let credentials = fields["allow_credentials"]?.bool() {
            policy.allowCredentials = credentials.value
            if credentials.value, patterns.contains(where: \.isAny) {
                node.log.report("allow_credentials needs named origins: any origin (*) with credentials would let every site act as the user", at: credentials.location)
                return nil
            }
        }
        policy.maxAge = fields["max_age"].flatMap(GatewayFileReader.duration)
        return .policy(policy)
    }
}
