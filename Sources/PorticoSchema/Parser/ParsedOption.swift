/// An `option name = value` as written, in a statement or a `[ … ]` list.
struct ParsedOption: Sendable {
    /// One dot-separated part of an option name; `(google.api.http)` is an extension part.
    struct NamePart: Sendable, Hashable {
        var text: String
        var isExtension: Bool
    }

    var name: [NamePart]
    var position: SourcePosition
    var value: TextValue
    var valuePosition: SourcePosition

    /// The name as written: `deprecated`, `(google.api.http).get`.
    var displayName: String {
        name.map { $0.isExtension ? "(\($0.text))" : $0.text }.joined(separator: ".")
    }

    /// Whether the option is the `google.api.http` method option (or one of its sub-fields).
    var isHttpRule: Bool {
        guard let first = name.first, first.isExtension else { return false }
        return first.text == "google.api.http" || first.text == ".google.api.http"
    }

    /// The value when it is a bare identifier such as `true` or `SPEED`.
    var identifier: String? {
        if case .scalar(false, let token) = value, token.kind == .identifier { return token.text }
        return nil
    }
}

/// A value in an option or in protobuf text format (the aggregate syntax `{ get: "/v1" }`).
indirect enum TextValue: Sendable {
    /// An identifier, number or (concatenated) string, with a leading `-` when written.
    case scalar(negative: Bool, token: ProtoToken)
    case message([TextField])
    case list([TextValue])
}

/// One `name: value` entry of a text-format message.
struct TextField: Sendable {
    var name: String
    var position: SourcePosition
    var value: TextValue
}
