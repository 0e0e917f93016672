import Yams

/// Reads an API-keys file: a YAML list of `{ id, sha256, plan, scopes, roles }`.
///
/// Keys are stored only as the hex SHA-256 of the key, so the file reveals no key. Duplicate ids and
/// duplicate hashes are errors, as are unknown keys.
public enum APIKeyFileReader {
    /// The entries of the file `file` (its name as errors should show it) whose text is `text`.
    ///
    /// - Throws: ``ConfigError`` with every problem found, when there is at least one.
    public static func read(_ text: String, file: String) throws(ConfigError) -> [APIKeyEntry] {
        let log = DiagnosticLog()
        var entries: [APIKeyEntry] = []
        if let root = YAMLDocument.parse(text, file: file, log: log, expander: EnvironmentExpander(environment: [:])) {
            entries = read(root)
        }
        guard log.isEmpty else { throw ConfigError(diagnostics: log.diagnostics) }
        return entries
    }

    private static func read(_ root: ConfigNode) -> [APIKeyEntry] {
        if case .mapping(let mapping) = root.node, mapping.count == 0 { return [] }
        var entries: [APIKeyEntry] = []
        var ids: Set<String> = []
        var hashes: Set<[UInt8]> = []
        for element in root.elements() ?? [] {
            guard let entry = readEntry(element) else { continue }
            guard ids.insert(entry.id).inserted else {
                element.log.report("duplicate id \"\(entry.id)\"", at: element.location)
                continue
            }
            guard hashes.insert(entry.sha256).inserted else {
                element.log.report("this sha256 is already the key of another client", at: element.location)
                continue
            }
            entries.append(entry)
        }
        return entries
    }

    private static func readEntry(_ node: ConfigNode) -> APIKeyEntry? {
        guard let fields = node.fields(allowed: ["id", "sha256", "plan", "scopes", "roles"]) else { return nil }
        guard let idNode = fields["id"], let hashNode = fields["sha256"] else {
            node.log.report("an API key needs an id and a sha256", at: node.location)
            return nil
        }
        guard let id = idNode.string(), let hash = hashNode.string() else { return nil }
        if id.value.isEmpty {
            idNode.log.report("id must not be empty", at: id.location)
        }
        guard let digest = hexDigest(hash.value) else {
            hashNode.log.report("expected 64 hexadecimal digits (the SHA-256 of the key)", at: hash.location)
            return nil
        }
        return APIKeyEntry(
            id: id.value,
            sha256: digest,
            plan: fields["plan"]?.string()?.value,
            scopes: (fields["scopes"]?.strings() ?? []).map(\.value),
            roles: (fields["roles"]?.strings() ?? []).map(\.value)
        )
    }

    private static func hexDigest(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
