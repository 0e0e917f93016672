import Yams
/// Reads one backend's mapping file: `backend:`, `http: rules:`, `versions:` and `routes:`.
package enum BackendFileReader {
    package static func read(_ root: ConfigNode, file: String, settings: GatewaySettings) -> BackendConfiguration? {
        guard let fields = root.fields(allowed: ["backend", "http", "versions", "routes"]) else { return nil }
        guard let backendNode = fields["backend"] else {
            root.log.report("a backend file needs a backend: section with name and address", at: root.location)
            return nil
        }
        let allowed = PolicyReader.keys.union(UpstreamReader.keys).union(["name", "timeout", "services", "tls"])
        guard let backend = backendNode.fields(allowed: allowed) else { return nil }
        let name = backend["name"]?.string()
        if backend["name"] == nil { root.log.report("backend needs a name", at: backendNode.location) }
        let upstream = UpstreamReader.read(backend, at: backendNode)
        let timeout = backend["timeout"].flatMap(GatewayFileReader.duration) ?? settings.defaultTimeout
        var configuration = BackendConfiguration(
            name: name?.value ?? "",
            file: file,
            address: HostPort(host: "127.0.0.1", port: 0),
            timeout: timeout,
            services: backend["services"]?.strings() ?? [],
            policies: PolicyReader.read(backend, over: settings.policies)
        )
        if let upstream { configuration.upstream = upstream }
        configuration.tls = backend["tls"].flatMap(readTLS)
        if let http = fields["http"]?.fields(allowed: ["rules"]) {
            configuration.rules = (http["rules"]?.elements() ?? []).compactMap { HttpRuleReader.read($0) }
        }
        if let versions = fields["versions"] {
            configuration.renames = readRenames(versions, settings: settings.versions)
        }
        if let routes = fields["routes"] {
            configuration.routeOptions = (routes.elements() ?? []).compactMap(readRouteOptions)
        }
        return configuration
    }

    /// `true` (the system's trust store), or `{ ca, server_name, cert, key }`.
    private static func readTLS(_ node: ConfigNode) -> BackendTLS? {
        if case .scalar = node.node {
            guard let enabled = node.bool() else { return nil }
            return enabled.value ? BackendTLS() : nil
        }
        guard let fields = node.fields(allowed: ["ca", "server_name", "cert", "key"]) else { return nil }
        let tls = BackendTLS(
            caFile: fields["ca"]?.string(), serverName: fields["server_name"]?.string()?.value,
            certificateFile: fields["cert"]?.string(), keyFile: fields["key"]?.string()
        )
        if (tls.certificateFile == nil) != (tls.keyFile == nil) {
            node.log.report("a client certificate needs both cert and key", at: node.location)
        }
        return tls
    }

    private static func readRenames(_ node: ConfigNode, settings: VersionPolicy) -> [FieldRename] {
        var renames: [FieldRename] = []
        for (version, body) in node.entries() ?? [] {
            if !settings.supported.contains(version.value) {
                let known = settings.supported.joined(separator: ", ")
                node.log.report("unknown API version \"\(version.value)\" (gateway.yaml declares: \(known))", at: version.location)
            } else if version.value == settings.defaultVersion {
                node.log.report("the default version \(version.value) uses the proto3 JSON names and takes no renames", at: version.location)
            }
            guard let fields = body.fields(allowed: ["rename"]), let rename = fields["rename"] else { continue }
            for (message, table) in rename.entries() ?? [] {
                for (field, jsonName) in table.entries() ?? [] {
                    guard let name = jsonName.string() else { continue }
                    renames.append(FieldRename(
                        version: version.value, message: message.value, field: field.value,
                        jsonName: name.value, location: field.location
                    ))
                }
            }
        }
        return renames
    }

    private static func readRouteOptions(_ node: ConfigNode) -> RouteOptions? {
        let keys: Set<String> = [
            "selector", "timeout", "ignore_unknown_fields", "ignore_unknown_query_parameters", "max_body_bytes",
            "auth", "scopes", "roles", "rate_limit", "idempotent", "json", "cors", "cache", "stream",
        ]
        guard let fields = node.fields(allowed: keys) else { return nil }
        guard let selector = fields["selector"]?.string() else {
            if fields["selector"] == nil { node.log.report("a route needs a selector", at: node.location) }
            return nil
        }
        return RouteOptions(
            selector: selector.value,
            timeout: fields["timeout"].flatMap(GatewayFileReader.duration),
            ignoreUnknownFields: fields["ignore_unknown_fields"]?.bool()?.value,
            ignoreUnknownQueryParameters: fields["ignore_unknown_query_parameters"]?.bool()?.value,
            maxBodyBytes: fields["max_body_bytes"].flatMap(GatewayFileReader.byteSize),
            auth: fields["auth"].flatMap(PolicyReader.authMode),
            scopes: fields["scopes"]?.strings()?.map(\.value),
            roles: fields["roles"]?.strings()?.map(\.value),
            rateLimit: fields["rate_limit"].flatMap(PolicyReader.rateLimit),
            idempotent: fields["idempotent"]?.bool()?.value,
            json: fields["json"].flatMap(PolicyReader.json),
            cors: fields["cors"].flatMap(CORSReader.read),
            cache: fields["cache"].flatMap(CacheReader.read),
            stream: fields["stream"].flatMap(StreamSettingsReader.read),
            location: node.location
        )
    }
}
