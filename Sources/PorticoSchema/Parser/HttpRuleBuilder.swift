/// Turns the text-format value of a `(google.api.http)` option into an ``HttpRule``, reporting fields that
/// `google.api.HttpRule` does not have, values of the wrong kind, repeated singular fields and two patterns.
struct HttpRuleBuilder {
    var diagnostics: DiagnosticSink

    private static let patternFields: Set<String> = ["get", "put", "post", "delete", "patch", "custom"]

    /// The rule the fields describe; fields in error are left out.
    mutating func rule(from fields: [TextField], at position: SourcePosition) -> HttpRule {
        var rule = HttpRule(pattern: nil)
        var seen: [String: SourcePosition] = [:]
        var patternField: String?
        for field in fields {
            let repeated = field.name == "additional_bindings"
            if !repeated, seen[field.name] != nil {
                diagnostics.error("Non-repeated field \"\(field.name)\" is specified multiple times.", at: field.position)
                continue
            }
            seen[field.name] = field.position
            if HttpRuleBuilder.patternFields.contains(field.name) {
                if let patternField {
                    diagnostics.error("Field \"\(field.name)\" is specified along with field \"\(patternField)\", another member of oneof \"pattern\".", at: field.position)
                    continue
                }
                patternField = field.name
            }
            apply(field, to: &rule)
        }
        return rule
    }

    private mutating func apply(_ field: TextField, to rule: inout HttpRule) {
        switch field.name {
        case "selector": rule.selector = string(field) ?? ""
        case "body": rule.body = string(field) ?? ""
        case "response_body": rule.responseBody = string(field) ?? ""
        case "get": rule.pattern = string(field).map { .get($0) }
        case "put": rule.pattern = string(field).map { .put($0) }
        case "post": rule.pattern = string(field).map { .post($0) }
        case "delete": rule.pattern = string(field).map { .delete($0) }
        case "patch": rule.pattern = string(field).map { .patch($0) }
        case "custom": rule.pattern = custom(field)
        case "additional_bindings":
            let values: [TextValue]
            if case .list(let elements) = field.value { values = elements } else { values = [field.value] }
            for value in values {
                guard case .message(let fields) = value else {
                    diagnostics.error("Expected a message for field \"additional_bindings\".", at: field.position)
                    continue
                }
                rule.additionalBindings.append(self.rule(from: fields, at: field.position))
            }
        default:
            diagnostics.error("Message type \"google.api.HttpRule\" has no field named \"\(field.name)\".", at: field.position)
        }
    }

    private mutating func custom(_ field: TextField) -> HttpRule.Pattern? {
        guard case .message(let fields) = field.value else {
            diagnostics.error("Expected a message for field \"custom\".", at: field.position)
            return nil
        }
        var kind = ""
        var path = ""
        var seen: Set<String> = []
        for entry in fields {
            guard entry.name == "kind" || entry.name == "path" else {
                diagnostics.error("Message type \"google.api.CustomHttpPattern\" has no field named \"\(entry.name)\".", at: entry.position)
                continue
            }
            guard seen.insert(entry.name).inserted else {
                diagnostics.error("Non-repeated field \"\(entry.name)\" is specified multiple times.", at: entry.position)
                continue
            }
            if entry.name == "kind" { kind = string(entry) ?? "" } else { path = string(entry) ?? "" }
        }
        return .custom(kind: kind, path: path)
    }

    private mutating func string(_ field: TextField) -> String? {
        guard case .scalar(false, let token) = field.value, token.kind == .string else {
            diagnostics.error("Expected a string for field \"\(field.name)\".", at: field.position)
            return nil
        }
        return String(decoding: token.bytes, as: UTF8.self)
    }
}
