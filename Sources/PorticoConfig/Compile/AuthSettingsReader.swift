/// Reads the `auth:` section of `gateway.yaml` into ``AuthSettings``.
///
/// Everything that can be checked without reading key files is checked here: key sources, secret
/// lengths, algorithm names, the JWKS URL and the forward map. Key files are read when the authenticator
/// is built, which reports their problems at the key that names them.
package enum AuthSettingsReader {
    package static func read(_ node: ConfigNode) -> AuthSettings {
        var settings = AuthSettings()
        guard let fields = node.fields(allowed: ["jwt", "api_keys", "forward"]) else { return settings }
        settings.jwt = fields["jwt"].flatMap(readJWT)
        settings.apiKeys = fields["api_keys"].flatMap(readAPIKeys)
        if let forward = fields["forward"] { settings.forward = readForward(forward) }
        return settings
    }

    private static let jwtKeys: Set<String> = [
        "issuer", "audiences", "leeway", "hs_secret", "hs_secret_file", "jwks_file", "jwks_url", "jwks_refresh",
        "jwks_min_refetch", "jwks_timeout", "algorithms", "token", "forward_authorization",
    ]

    private static func readJWT(_ node: ConfigNode) -> JWTSettings? {
        guard let fields = node.fields(allowed: jwtKeys) else { return nil }
        guard let issuerNode = fields["issuer"] else {
            node.log.report("jwt needs an issuer (the accepted iss values)", at: node.location)
            return nil
        }
        let issuers = (issuerNode.strings() ?? []).map(\.value)
        if issuers.contains(where: \.isEmpty) || issuers.isEmpty {
            node.log.report("issuer must not be empty", at: issuerNode.location)
        }
        var settings = JWTSettings(issuers: issuers)
        settings.audiences = (fields["audiences"]?.strings() ?? []).map(\.value)
        if let leeway = fields["leeway"].flatMap(leewayDuration) { settings.leeway = leeway }
        if let refresh = fields["jwks_refresh"].flatMap(GatewayFileReader.duration) { settings.jwksRefresh = refresh }
        if let refetch = fields["jwks_min_refetch"].flatMap(GatewayFileReader.duration) { settings.jwksMinRefetch = refetch }
        if let timeout = fields["jwks_timeout"].flatMap(GatewayFileReader.duration) { settings.jwksTimeout = timeout }
        settings.secret = readSecret(inline: fields["hs_secret"], file: fields["hs_secret_file"])
        settings.jwksFile = fields["jwks_file"].flatMap(path)
        settings.jwksURL = fields["jwks_url"].flatMap(url)
        if let token = fields["token"] { settings.token = readTokenLocations(token) }
        if let forward = fields["forward_authorization"]?.bool() { settings.forwardAuthorization = forward.value }
        if fields["hs_secret"] == nil, fields["hs_secret_file"] == nil, fields["jwks_file"] == nil, fields["jwks_url"] == nil {
            node.log.report("jwt needs a key source: hs_secret, hs_secret_file, jwks_file or jwks_url", at: node.location)
        }
        if let algorithms = fields["algorithms"] {
            settings.algorithms = readAlgorithms(algorithms, settings: settings)
        }
        return settings
    }

    /// A duration that may be zero (`0s`), for clock skew.
    private static func leewayDuration(_ node: ConfigNode) -> Duration? {
        guard let text = node.string() else { return nil }
        guard let value = DurationParser.parse(text.value), value <= .seconds(3600) else {
            node.log.report("expected a duration of at most 1h such as 0s, 30s or 2m, got \"\(text.value)\"", at: node.location)
            return nil
        }
        return value
    }

    private static func readSecret(inline: ConfigNode?, file: ConfigNode?) -> Located<HMACSecretSource>? {
        if let inline, file != nil {
            inline.log.report("give hs_secret or hs_secret_file, not both", at: inline.location)
            return nil
        }
        if let file, let value = path(file) {
            return Located(.file(value.value), at: value.location)
        }
        guard let inline, let text = inline.string() else { return nil }
        let bytes = Array(text.value.utf8)
        guard bytes.count >= JWTAlgorithmName.hs256.minimumSecretBytes else {
            inline.log.report("the HMAC secret is too short: HS256 needs at least 32 bytes", at: inline.location)
            return nil
        }
        return Located(.inline(bytes), at: text.location)
    }

    private static func readAlgorithms(_ node: ConfigNode, settings: JWTSettings) -> [JWTAlgorithmName] {
        var algorithms: [JWTAlgorithmName] = []
        for name in node.strings() ?? [] {
            guard let algorithm = JWTAlgorithmName(rawValue: name.value) else {
                let known = JWTAlgorithmName.allCases.map(\.rawValue).joined(separator: ", ")
                node.log.report("unknown algorithm \"\(name.value)\" (expected one of: \(known))", at: name.location)
                continue
            }
            if algorithm.isHMAC {
                if settings.secret == nil {
                    node.log.report("\(algorithm.rawValue) needs hs_secret or hs_secret_file", at: name.location)
                } else if case .inline(let bytes) = settings.secret?.value, bytes.count < algorithm.minimumSecretBytes {
                    node.log.report(
                        "the HMAC secret is too short: \(algorithm.rawValue) needs at least \(algorithm.minimumSecretBytes) bytes",
                        at: name.location
                    )
                }
            } else if settings.jwksFile == nil, settings.jwksURL == nil {
                node.log.report("\(algorithm.rawValue) needs jwks_file or jwks_url", at: name.location)
            }
            if !algorithms.contains(algorithm) { algorithms.append(algorithm) }
        }
        if algorithms.isEmpty, node.strings()?.isEmpty == true {
            node.log.report("algorithms must not be empty (leave it out to accept every configured algorithm)", at: node.location)
        }
        return algorithms
    }

    private static func readTokenLocations(_ node: ConfigNode) -> TokenLocations {
        var locations = TokenLocations()
        guard let fields = node.fields(allowed: ["header", "cookie", "query"]) else { return locations }
        if let header = fields["header"].flatMap(headerName) { locations.header = header }
        locations.cookie = fields["cookie"].flatMap(parameterName)
        locations.query = fields["query"].flatMap(parameterName)
        return locations
    }

    private static func readAPIKeys(_ node: ConfigNode) -> APIKeySettings? {
        guard let fields = node.fields(allowed: ["file", "header", "query"]) else { return nil }
        guard let fileNode = fields["file"] else {
            node.log.report("api_keys needs a file", at: node.location)
            return nil
        }
        guard let file = path(fileNode) else { return nil }
        var settings = APIKeySettings(file: file)
        if fields["header"] != nil || fields["query"] != nil {
            settings.header = fields["header"].flatMap(headerName)
            settings.query = fields["query"].flatMap(parameterName)
        }
        return settings
    }

    private static func readForward(_ node: ConfigNode) -> [ClaimForwarding] {
        var forward: [ClaimForwarding] = []
        for (claim, value) in node.entries() ?? [] {
            guard let header = value.string() else { continue }
            if let refusal = forwardRefusal(header.value) {
                value.log.report(refusal, at: value.location)
            } else if forward.contains(where: { $0.header == header.value }) {
                value.log.report("\"\(header.value)\" already carries another claim", at: value.location)
            } else {
                forward.append(ClaimForwarding(claim: claim.value, header: header.value))
            }
        }
        return forward
    }

    /// Why a forward target cannot carry a claim, or `nil` when it can.
    private static func forwardRefusal(_ name: String) -> String? {
        if name != name.lowercased() {
            return "\"\(name)\" must be lower case: it is sent as gRPC metadata"
        }
        if let refusal = HeaderForwarding.refusal(for: name) { return refusal }
        if name == "authorization" || name == "cookie" {
            return "\"\(name)\" is reserved: the client's credentials are forwarded only by forward_authorization"
        }
        if name.hasSuffix("-bin") {
            return "\"\(name)\" is binary metadata (-bin) and cannot carry a claim"
        }
        return nil
    }

    private static func headerName(_ node: ConfigNode) -> String? {
        guard let text = node.string() else { return nil }
        let lowered = text.value.lowercased()
        guard !lowered.isEmpty, lowered.utf8.allSatisfy(isTokenByte) else {
            node.log.report("\"\(text.value)\" is not a valid header name", at: node.location)
            return nil
        }
        return lowered
    }

    private static func parameterName(_ node: ConfigNode) -> String? {
        guard let text = node.string() else { return nil }
        guard !text.value.isEmpty, text.value.utf8.allSatisfy(isTokenByte) else {
            node.log.report("\"\(text.value)\" is not a valid name", at: node.location)
            return nil
        }
        return text.value
    }

    private static func path(_ node: ConfigNode) -> Located<String>? {
        guard let text = node.string() else { return nil }
        guard !text.value.isEmpty, !text.value.contains("\0") else {
            node.log.report("expected a file path", at: node.location)
            return nil
        }
        return text
    }

    private static func url(_ node: ConfigNode) -> Located<String>? {
        guard let text = node.string() else { return nil }
        let lowered = text.value.lowercased()
        let rest: Substring
        if lowered.hasPrefix("https://") {
            rest = text.value.dropFirst(8)
        } else if lowered.hasPrefix("http://") {
            rest = text.value.dropFirst(7)
        } else {
            node.log.report("jwks_url must be an http:// or https:// URL", at: node.location)
            return nil
        }
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !host.isEmpty, !rest.contains(" ") else {
            node.log.report("jwks_url must name a host", at: node.location)
            return nil
        }
        return text
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            true
        default:
            false
        }
    }
}
