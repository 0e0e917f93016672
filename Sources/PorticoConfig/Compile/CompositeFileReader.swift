/// Reads a mapping file of composite routes: `composites:`, a map of route name to
/// `{ get, deadline, auth, scopes, roles, rate_limit, cors, json, parts }`, each part a map of part name to
/// `{ call, bind, set, required, timeout, response_field, idempotent }`.
package enum CompositeFileReader {
    /// The top-level key that makes a mapping file a composite file.
    package static let rootKey = "composites"

    package static func read(_ root: ConfigNode, file: String, settings: GatewaySettings) -> [CompositeRouteConfiguration] {
        guard let fields = root.fields(allowed: [rootKey]), let composites = fields[rootKey]?.entries() else { return [] }
        return composites.compactMap { name, node in readRoute(name: name, node: node, file: file, settings: settings) }
    }

    private static func readRoute(
        name: Located<String>, node: ConfigNode, file: String, settings: GatewaySettings
    ) -> CompositeRouteConfiguration? {
        checkName(name, what: "a composite route", log: node.log)
        let keys: Set<String> = ["get", "deadline", "auth", "scopes", "roles", "rate_limit", "cors", "json", "parts"]
        guard let fields = node.fields(allowed: keys) else { return nil }
        guard let path = fields["get"]?.string() else {
            if fields["get"] == nil { node.log.report("a composite route needs get: with its path template", at: node.location) }
            return nil
        }
        guard let partsNode = fields["parts"], let partEntries = partsNode.entries() else {
            if fields["parts"] == nil { node.log.report("a composite route needs parts:", at: node.location) }
            return nil
        }
        if partEntries.isEmpty { node.log.report("a composite route needs at least one part", at: partsNode.location) }
        let inherited = settings.policies.auth
        return CompositeRouteConfiguration(
            name: name,
            file: file,
            path: path,
            deadline: fields["deadline"].flatMap(GatewayFileReader.duration) ?? settings.defaultTimeout,
            auth: AuthRequirement(
                mode: fields["auth"].flatMap(PolicyReader.authMode) ?? inherited.mode,
                scopes: fields["scopes"]?.strings()?.map(\.value) ?? inherited.scopes,
                roles: fields["roles"]?.strings()?.map(\.value) ?? inherited.roles
            ),
            rateLimit: fields["rate_limit"].flatMap(PolicyReader.rateLimit),
            cors: fields["cors"].flatMap(CORSReader.read),
            json: fields["json"].flatMap(PolicyReader.json),
            parts: partEntries.compactMap { readPart(name: $0.key, node: $0.value) },
            location: node.location
        )
    }

    private static func readPart(name: Located<String>, node: ConfigNode) -> CompositePartConfiguration? {
        checkName(name, what: "a part", log: node.log)
        if ["errors", "path", "query", "claims"].contains(name.value) {
            node.log.report("\"\(name.value)\" is reserved and cannot name a part", at: name.location)
        }
        let keys: Set<String> = ["call", "bind", "set", "required", "timeout", "response_field", "idempotent"]
        guard let fields = node.fields(allowed: keys) else { return nil }
        guard let method = fields["call"]?.string() else {
            if fields["call"] == nil { node.log.report("a part needs call: with the method it calls", at: node.location) }
            return nil
        }
        var bindings: [CompositePartConfiguration.Binding] = []
        for (field, source) in fields["bind"]?.entries() ?? [] {
            guard let value = source.string() else { continue }
            bindings.append(.init(field: field, value: value))
        }
        var constants: [CompositePartConfiguration.Binding] = []
        for (field, valueNode) in fields["set"]?.entries() ?? [] {
            for value in valueNode.strings() ?? [] { constants.append(.init(field: field, value: value)) }
        }
        return CompositePartConfiguration(
            name: name,
            method: method,
            bindings: bindings,
            constants: constants,
            required: fields["required"]?.bool()?.value ?? true,
            timeout: fields["timeout"].flatMap(GatewayFileReader.duration),
            responseField: fields["response_field"]?.string(),
            idempotent: fields["idempotent"]?.bool()?.value ?? true,
            location: node.location
        )
    }

    /// Names are what JSON keys and references are made of: a letter or `_`, then letters, digits and `_`.
    private static func checkName(_ name: Located<String>, what: String, log: DiagnosticLog) {
        let bytes = Array(name.value.utf8)
        let valid = !bytes.isEmpty && bytes.count <= 64 && bytes.enumerated().allSatisfy { index, byte in
            let letter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || byte == UInt8(ascii: "_")
            return letter || index > 0 && byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
        }
        if !valid {
            log.report("\"\(name.value)\" cannot name \(what): use letters, digits and _ (not first), at most 64", at: name.location)
        }
    }
}
