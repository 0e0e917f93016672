import PorticoSchema

/// Resolves the field paths of a rule (path variables, `body`, `response_body`) against the schema, to
/// proto names, with messages that say what to change.
///
/// A name may be the proto name or the JSON name of the field (Envoy resolves both); the result always
/// holds proto names.
struct FieldPathResolver {
    let schema: SchemaPool

    /// The wrapper messages a path variable may bind, as their single `value` field.
    static let wrapperTypes: Set<String> = [
        "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
        "google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
        "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue",
    ]

    /// A path variable's field path: every name but the last is a singular message field; the last is a
    /// singular scalar, enum or wrapper field (the HttpRule spec forbids repeated and map fields in paths).
    func resolvePathVariable(_ path: [String], in messageName: String) -> Result<[String], RuleError> {
        let label = "path variable \"\(path.joined(separator: "."))\""
        var messageName = messageName
        var resolved: [String] = []
        for (index, name) in path.enumerated() {
            guard let message = schema.messages[messageName] else {
                return .failure(RuleError("\(label): message \(messageName) is not in the schema"))
            }
            guard let field = Self.field(named: name, in: message) else {
                return .failure(RuleError("\(label): message \(messageName) has no field \"\(name)\""))
            }
            resolved.append(field.name)
            if isMap(field) || field.isRepeated {
                let kind = isMap(field) ? "a map" : "repeated"
                return .failure(RuleError(
                    "\(label): field \"\(field.name)\" of \(messageName) is \(kind); "
                        + "path variables cannot bind or cross repeated or map fields"))
            }
            let isMessage = field.type == .message || field.type == .group
            if index == path.count - 1 {
                if isMessage, !Self.wrapperTypes.contains(field.typeName ?? "") {
                    return .failure(RuleError(
                        "\(label): field \"\(field.name)\" of \(messageName) is a message (\(field.typeName ?? "?")); "
                            + "a path variable must bind a scalar, enum or wrapper field"))
                }
            } else {
                guard isMessage, let typeName = field.typeName else {
                    return .failure(RuleError(
                        "\(label): field \"\(field.name)\" of \(messageName) is \(Self.describe(field)), "
                            + "not a message, so it has no field \"\(path[index + 1])\""))
                }
                messageName = typeName
            }
        }
        return .success(resolved)
    }

    /// A `body` or `response_body` field: a top-level field of the message (the spec allows no nested path);
    /// it may be repeated or a map (the current spec allows a JSON array body).
    func resolveTopLevelField(_ name: String, role: String, in messageName: String) -> Result<String, RuleError> {
        guard let message = schema.messages[messageName] else {
            return .failure(RuleError("\(role) \"\(name)\": message \(messageName) is not in the schema"))
        }
        if name.contains(".") {
            return .failure(RuleError(
                "\(role) \"\(name)\": must name a top-level field of \(messageName); "
                    + "the HttpRule spec allows no nested path"))
        }
        guard let field = Self.field(named: name, in: message) else {
            return .failure(RuleError("\(role) \"\(name)\": message \(messageName) has no field \"\(name)\""))
        }
        return .success(field.name)
    }

    private func isMap(_ field: FieldDescriptor) -> Bool {
        guard field.isRepeated, field.type == .message, let typeName = field.typeName else { return false }
        return schema.messages[typeName]?.isMapEntry ?? false
    }

    private static func field(named name: String, in message: MessageDescriptor) -> FieldDescriptor? {
        message.field(named: name) ?? message.fields.first { $0.jsonName == name }
    }

    private static func describe(_ field: FieldDescriptor) -> String {
        switch field.type {
        case .enum: "an enum (\(field.typeName ?? "?"))"
        default:
            if let keyword = field.type.keyword {
                (keyword.hasPrefix("int") || keyword.hasPrefix("uint") ? "an " : "a ") + keyword
            } else {
                "a message"
            }
        }
    }
}

/// A message about one rule, before it is placed in a ``RouteDiagnostic``.
struct RuleError: Error {
    var message: String

    init(_ message: String) {
        self.message = message
    }
}
