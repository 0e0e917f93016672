/// Option statements, `[ … ]` option lists and text-format aggregate values.
extension ProtoParser {
    /// `option name = value ;`
    mutating func parseOptionStatement() throws(StatementFailure) -> ParsedOption {
        advance()
        let option = try parseOption()
        try expect(";")
        return option
    }

    /// `name = value`, the part shared by statements and `[ … ]` lists.
    mutating func parseOption() throws(StatementFailure) -> ParsedOption {
        let position = current.position
        var parts: [ParsedOption.NamePart] = []
        repeat {
            if tryConsume("(") {
                let name = try parseDottedName("option name", allowLeadingDot: true)
                try expect(")")
                parts.append(.init(text: name, isExtension: true))
            } else {
                parts.append(.init(text: try expectIdentifier("option name").text, isExtension: false))
            }
        } while tryConsume(".")
        try expect("=")
        let valuePosition = current.position
        let value: TextValue
        if current.isSymbol("{") {
            value = .message(try parseTextMessageBody())
        } else {
            value = try parseScalarValue()
        }
        return ParsedOption(name: parts, position: position, value: value, valuePosition: valuePosition)
    }

    /// `[ option, option ]` after a field or enum value.
    mutating func parseOptionList() throws(StatementFailure) -> [ParsedOption] {
        guard tryConsume("[") else { return [] }
        var options: [ParsedOption] = []
        repeat {
            options.append(try parseOption())
        } while tryConsume(",")
        try expect("]")
        return options
    }

    /// An identifier, a number with an optional `-`, or adjacent strings.
    mutating func parseScalarValue() throws(StatementFailure) -> TextValue {
        let negative = tryConsume("-")
        switch current.kind {
        case .string where !negative:
            return .scalar(negative: false, token: try parseStrings("string"))
        case .identifier, .integer, .float:
            return .scalar(negative: negative, token: consume())
        default:
            throw failure("Expected option value, found \(current.quoted).")
        }
    }

    /// `{ field: value … }` or `< … >` in text format; the opening delimiter is current.
    mutating func parseTextMessageBody() throws(StatementFailure) -> [TextField] {
        try enterNesting()
        defer { nesting -= 1 }
        let closing = current.isSymbol("<") ? ">" : "}"
        advance()
        var fields: [TextField] = []
        while !tryConsume(closing) {
            guard current.kind != .endOfFile else { throw failure("Expected \"\(closing)\", found end of input.") }
            let position = current.position
            let name: String
            if tryConsume("[") {
                name = try parseDottedName("extension name")
                try expect("]")
            } else {
                name = try expectIdentifier("field name").text
            }
            let value: TextValue
            if tryConsume(":") {
                value = try parseTextValue(allowList: true)
            } else if current.isSymbol("{") || current.isSymbol("<") || current.isSymbol("[") {
                value = try parseTextValue(allowList: true)
            } else {
                throw failure("Expected \":\", found \(current.quoted).")
            }
            fields.append(TextField(name: name, position: position, value: value))
            if !tryConsume(",") { _ = tryConsume(";") }
        }
        return fields
    }

    private mutating func parseTextValue(allowList: Bool) throws(StatementFailure) -> TextValue {
        if current.isSymbol("{") || current.isSymbol("<") {
            return .message(try parseTextMessageBody())
        }
        if allowList, tryConsume("[") {
            var elements: [TextValue] = []
            if tryConsume("]") { return .list(elements) }
            repeat {
                elements.append(try parseTextValue(allowList: false))
            } while tryConsume(",")
            try expect("]")
            return .list(elements)
        }
        return try parseScalarValue()
    }

    // MARK: Applying options

    /// The declaration an option applies to; its known options are the fields of the matching
    /// `google.protobuf.*Options` message of `descriptor.proto` (protobuf 3.21), plus the few later
    /// protobuf releases added that backends already write (`debug_redact`, `retention`, `targets`,
    /// `deprecated_legacy_json_field_conflicts`), accepted and ignored.
    enum OptionTarget {
        case file
        case message
        case field
        case oneof
        case enumType
        case enumValue
        case service
        case method
        case extensionRange

        var knownNames: Set<String> {
            switch self {
            case .file:
                ["java_package", "java_outer_classname", "java_multiple_files", "java_generate_equals_and_hash",
                 "java_string_check_utf8", "optimize_for", "go_package", "cc_generic_services",
                 "java_generic_services", "py_generic_services", "php_generic_services", "deprecated",
                 "cc_enable_arenas", "objc_class_prefix", "csharp_namespace", "swift_prefix", "php_class_prefix",
                 "php_namespace", "php_metadata_namespace", "ruby_package"]
            case .message:
                ["message_set_wire_format", "no_standard_descriptor_accessor", "deprecated", "map_entry",
                 "deprecated_legacy_json_field_conflicts"]
            case .field:
                ["ctype", "packed", "jstype", "lazy", "unverified_lazy", "deprecated", "weak", "debug_redact",
                 "retention", "targets"]
            case .oneof, .extensionRange:
                []
            case .enumType:
                ["allow_alias", "deprecated", "deprecated_legacy_json_field_conflicts"]
            case .enumValue, .service:
                ["deprecated"]
            case .method:
                ["deprecated", "idempotency_level"]
            }
        }
    }

    /// Checks an option against its target: custom options pass (only `google.api.http` is read, by the
    /// caller); built-in ones must exist. Returns the simple name of a built-in option, `nil` for custom.
    mutating func checkOption(_ option: ParsedOption, target: OptionTarget) -> String? {
        guard let first = option.name.first, !first.isExtension else { return nil }
        guard option.name.count == 1, target.knownNames.contains(first.text) else {
            diagnostics.error("Option \"\(option.displayName)\" unknown.", at: option.position)
            return nil
        }
        return first.text
    }

    /// The value of a boolean option, which must be `true` or `false` (`false` after reporting an error).
    mutating func boolValue(_ option: ParsedOption) -> Bool {
        switch option.identifier {
        case "true": return true
        case "false": return false
        default:
            diagnostics.error("Value must be \"true\" or \"false\" for boolean option \"\(option.displayName)\".", at: option.valuePosition)
            return false
        }
    }

    mutating func applyFileOption(_ option: ParsedOption) {
        guard let name = checkOption(option, target: .file) else { return }
        checkScalarOption(option, name: name)
    }

    /// Checks the value kind of a built-in option that Portico does not otherwise read.
    mutating func checkScalarOption(_ option: ParsedOption, name: String) {
        let booleans: Set<String> = [
            "java_multiple_files", "java_generate_equals_and_hash", "java_string_check_utf8", "cc_generic_services",
            "java_generic_services", "py_generic_services", "php_generic_services", "deprecated", "cc_enable_arenas",
            "message_set_wire_format", "no_standard_descriptor_accessor", "map_entry", "packed", "lazy",
            "unverified_lazy", "weak", "allow_alias", "debug_redact", "deprecated_legacy_json_field_conflicts",
        ]
        let enumerations: Set<String> = ["optimize_for", "ctype", "jstype", "idempotency_level", "retention", "targets"]
        if booleans.contains(name) {
            _ = boolValue(option)
        } else if enumerations.contains(name) {
            if option.identifier == nil {
                diagnostics.error("Value must be identifier for enum-valued option \"\(option.displayName)\".", at: option.valuePosition)
            }
        } else {
            guard case .scalar(false, let token) = option.value, token.kind == .string else {
                diagnostics.error("Value must be quoted string for string option \"\(option.displayName)\".", at: option.valuePosition)
                return
            }
        }
    }
}
