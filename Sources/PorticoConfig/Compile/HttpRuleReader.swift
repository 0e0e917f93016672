import PorticoSchema

/// Reads `http: rules:` entries: the fields of `google.api.HttpRule` exactly as Google's service-config YAML
/// spells them.
package enum HttpRuleReader {
    private static let verbs = ["get", "put", "post", "delete", "patch"]
    private static let ruleKeys = Set(["selector", "body", "response_body", "additional_bindings", "custom"])
        .union(verbs)

    /// One rule; `nested` marks an additional binding, which may carry no selector and no further bindings.
    package static func read(_ node: ConfigNode, nested: Bool = false) -> Located<HttpRule>? {
        guard let fields = node.fields(allowed: ruleKeys) else { return nil }
        var rule = HttpRule(pattern: nil)
        var patterns: [HttpRule.Pattern] = []
        for verb in verbs {
            guard let path = fields[verb]?.string() else { continue }
            patterns.append(pattern(verb: verb, path: path.value))
        }
        if let custom = fields["custom"], let parts = custom.fields(allowed: ["kind", "path"]) {
            if let kind = parts["kind"]?.string(), let path = parts["path"]?.string() {
                patterns.append(.custom(kind: kind.value, path: path.value))
            } else {
                node.log.report("custom needs both kind and path", at: custom.location)
            }
        }
        switch patterns.count {
        case 0: node.log.report("a rule needs one of get, put, post, delete, patch or custom", at: node.location)
        case 1: rule.pattern = patterns[0]
        default: node.log.report("a rule may have only one of get, put, post, delete, patch or custom", at: node.location)
        }
        if let selector = fields["selector"] {
            if nested {
                node.log.report("an additional binding takes no selector", at: selector.location)
            } else if let value = selector.string() {
                rule.selector = value.value
            }
        } else if !nested {
            node.log.report("a rule needs a selector (the full method name, e.g. pkg.Service.Method)", at: node.location)
        }
        rule.body = fields["body"]?.string()?.value ?? ""
        rule.responseBody = fields["response_body"]?.string()?.value ?? ""
        if let bindings = fields["additional_bindings"] {
            if nested {
                node.log.report("additional bindings cannot be nested", at: bindings.location)
            } else {
                rule.additionalBindings = (bindings.elements() ?? []).compactMap { read($0, nested: true)?.value }
            }
        }
        return Located(rule, at: node.location)
    }

    private static func pattern(verb: String, path: String) -> HttpRule.Pattern {
        switch verb {
        case "get": .get(path)
        case "put": .put(path)
        case "post": .post(path)
        case "delete": .delete(path)
        default: .patch(path)
        }
    }
}
