import Yams

/// A YAML node being read strictly: it knows its file, key path and position, and reports every type
/// mismatch, unknown key and bad reference to a ``DiagnosticLog``.
package struct ConfigNode {
    package let node: Node
    package let location: SourceLocation
    package let log: DiagnosticLog
    package let expander: EnvironmentExpander

    package init(node: Node, location: SourceLocation, log: DiagnosticLog, expander: EnvironmentExpander) {
        self.node = node
        self.location = location
        self.log = log
        self.expander = expander
    }

    private func child(_ node: Node, path: String) -> ConfigNode {
        let mark = node.mark
        return ConfigNode(
            node: node,
            location: SourceLocation(
                file: location.file,
                line: mark?.line ?? location.line,
                column: mark?.column ?? location.column,
                keyPath: path
            ),
            log: log,
            expander: expander
        )
    }

    private func childPath(_ key: String) -> String {
        location.keyPath.isEmpty ? key : "\(location.keyPath).\(key)"
    }

    /// The entries of a mapping whose keys must all be among `allowed`; unknown keys are reported.
    ///
    /// Returns `nil` (and reports) when the node is not a mapping.
    package func fields(allowed: Set<String>) -> [String: ConfigNode]? {
        guard let entries = entries() else { return nil }
        var result: [String: ConfigNode] = [:]
        for (key, value) in entries {
            if allowed.contains(key.value) {
                result[key.value] = value
            } else {
                let known = allowed.sorted().joined(separator: ", ")
                log.report("unknown key \"\(key.value)\" (expected one of: \(known))", at: key.location)
            }
        }
        return result
    }

    /// Whether the node is a mapping with `key` among its keys; reports nothing.
    package func hasKey(_ key: String) -> Bool {
        guard case .mapping(let mapping) = node else { return false }
        return mapping.keys.contains { if case .scalar(let scalar) = $0 { scalar.string == key } else { false } }
    }

    /// The entries of a mapping with free-form keys, in file order; duplicate keys are reported.
    package func entries() -> [(key: Located<String>, value: ConfigNode)]? {
        guard case .mapping(let mapping) = node else {
            log.report("expected a mapping, got \(kind)", at: location)
            return nil
        }
        var seen: Set<String> = []
        var result: [(key: Located<String>, value: ConfigNode)] = []
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                log.report("keys must be plain strings", at: child(keyNode, path: location.keyPath).location)
                continue
            }
            let path = childPath(scalar.string)
            let keyLocation = child(keyNode, path: path).location
            guard seen.insert(scalar.string).inserted else {
                log.report("duplicate key \"\(scalar.string)\"", at: keyLocation)
                continue
            }
            result.append((Located(scalar.string, at: keyLocation), child(valueNode, path: path)))
        }
        return result
    }

    /// The elements of a sequence, each with an indexed key path.
    package func elements() -> [ConfigNode]? {
        guard case .sequence(let sequence) = node else {
            log.report("expected a list, got \(kind)", at: location)
            return nil
        }
        return sequence.enumerated().map { index, element in child(element, path: "\(location.keyPath)[\(index)]") }
    }

    /// A string scalar with `${VAR:-default}` expanded.
    package func string() -> Located<String>? {
        guard case .scalar(let scalar) = node else {
            log.report("expected a string, got \(kind)", at: location)
            return nil
        }
        do {
            return Located(try expander.expand(scalar.string), at: location)
        } catch {
            switch error {
            case .unset(let name):
                log.report("environment variable \(name) is not set and has no default (${\(name):-default})", at: location)
            case .unterminated:
                log.report("unterminated \"${\" in \"\(scalar.string)\"", at: location)
            case .invalidName(let name):
                log.report("\"\(name)\" is not a valid environment variable name", at: location)
            }
            return nil
        }
    }

    /// A boolean scalar (`true` or `false`).
    package func bool() -> Located<Bool>? {
        guard let text = string() else { return nil }
        switch text.value {
        case "true": return Located(true, at: location)
        case "false": return Located(false, at: location)
        default:
            log.report("expected true or false, got \"\(text.value)\"", at: location)
            return nil
        }
    }

    /// A non-negative integer scalar.
    package func count() -> Located<Int>? {
        guard let text = string() else { return nil }
        guard let value = Int(text.value), value >= 0 else {
            log.report("expected a non-negative integer, got \"\(text.value)\"", at: location)
            return nil
        }
        return Located(value, at: location)
    }

    /// A list of strings, or a single string taken as a list of one.
    package func strings() -> [Located<String>]? {
        if case .scalar = node { return string().map { [$0] } }
        return elements()?.compactMap { $0.string() }
    }

    private var kind: String {
        switch node {
        case .scalar(let scalar): "\"\(scalar.string)\""
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}
