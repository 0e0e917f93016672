/// Messages, fields and enums: type resolution and the checks protoc applies to them.
extension SchemaResolver {
    mutating func build(_ message: ParsedMessage, scope: String, file: ParsedFile) {
        let fullName = SchemaResolver.qualify(scope, message.name)
        var fields: [FieldDescriptor] = []
        for parsed in message.fields {
            fields.append(build(parsed, in: message, fullName: fullName, file: file))
        }
        checkNumbers(of: message, fullName: fullName, file: file)
        if file.syntax == .proto3 { checkJSONNames(of: message, file: file.name) }
        var descriptor = MessageDescriptor(
            fullName: fullName,
            file: file.name,
            fields: fields,
            oneofs: message.oneofs,
            isMapEntry: message.isMapEntry,
            reservedRanges: message.reservedRanges.map { .init(start: $0.start, end: $0.end + 1) },
            reservedNames: message.reservedNames.map(\.name),
            isDeprecated: message.isDeprecated
        )
        descriptor.documentation = message.documentation
        messages.append(descriptor)
        for nested in message.messages { build(nested, scope: fullName, file: file) }
        for nested in message.enums { build(nested, scope: fullName, file: file) }
    }

    private mutating func build(_ parsed: ParsedField, in message: ParsedMessage, fullName: String, file: ParsedFile) -> FieldDescriptor {
        var type = FieldType.message
        var typeName: String?
        switch parsed.type {
        case .scalar(let scalar):
            type = scalar
        case .named(let name):
            let scope = fullName + "." + parsed.name
            switch table.lookup(name, from: scope, typesOnly: true, visible: visibility[file.name] ?? [file.name]) {
            case .found(let resolved, let symbol) where symbol.kind.isType:
                type = symbol.kind == .message ? .message : .enum
                typeName = resolved
                if type == .enum, file.syntax == .proto3, syntaxOfFile[symbol.file] == .proto2 {
                    error("Enum type \"\(resolved)\" is not a proto3 enum, but is used in \"\(fullName)\" which is a proto3 message type.", in: file.name, at: parsed.typePosition)
                }
            case .found:
                error("\"\(name)\" is not a type.", in: file.name, at: parsed.typePosition)
            case .notFound(let text):
                error(text, in: file.name, at: parsed.typePosition)
            }
        }
        if message.isMapEntry, parsed.number == 1 {
            if type == .enum {
                error("Key in map fields cannot be enum types.", in: file.name, at: parsed.typePosition)
            } else if !type.isValidMapKey {
                error("Key in map fields cannot be float/double, bytes or message types.", in: file.name, at: parsed.typePosition)
            }
        }
        if parsed.packedOption == true, !(parsed.label == .repeated && type.isPackable) {
            error("[packed = true] can only be specified for repeated primitive fields.", in: file.name, at: parsed.position)
        }
        var defaultText: String?
        if let value = parsed.defaultValue {
            switch DefaultValueFormatter.text(for: value, type: type, enumValueNames: typeName.flatMap { enumValueNames[$0] }, enumName: typeName) {
            case .success(let text): defaultText = text
            case .failure(let failure): error(failure.message, in: file.name, at: value.token.position)
            }
        }
        var field = FieldDescriptor(
            name: parsed.name,
            number: parsed.number,
            label: parsed.label,
            type: type,
            typeName: typeName,
            jsonName: parsed.jsonName ?? FieldDescriptor.defaultJSONName(for: parsed.name),
            oneofIndex: parsed.oneofIndex,
            isProto3Optional: parsed.isProto3Optional,
            defaultValue: defaultText,
            packedOption: parsed.packedOption,
            isDeprecated: parsed.isDeprecated
        )
        field.documentation = parsed.documentation
        return field
    }

    /// Duplicate numbers, the implementation range, reserved numbers and names, extension ranges.
    private mutating func checkNumbers(of message: ParsedMessage, fullName: String, file: ParsedFile) {
        var numbers: [Int32: String] = [:]
        for field in message.fields {
            if let other = numbers[field.number] {
                error("Field number \(field.number) has already been used in \"\(fullName)\" by field \"\(other)\".", in: file.name, at: field.numberPosition)
            } else {
                numbers[field.number] = field.name
            }
            if (19000...19999).contains(field.number) {
                error("Field numbers 19000 through 19999 are reserved for the protocol buffer library implementation.", in: file.name, at: field.numberPosition)
            }
            if message.reservedRanges.contains(where: { ($0.start...$0.end).contains(field.number) }) {
                error("Field \"\(field.name)\" uses reserved number \(field.number).", in: file.name, at: field.numberPosition)
            }
            if message.reservedNames.contains(where: { $0.name == field.name }) {
                error("Field name \"\(field.name)\" is reserved.", in: file.name, at: field.position)
            }
            if let range = message.extensionRanges.first(where: { ($0.start...$0.end).contains(field.number) }) {
                error("Extension range \(range.start) to \(range.end) includes field \"\(field.name)\" (\(field.number)).", in: file.name, at: field.numberPosition)
            }
        }
        for (index, range) in message.reservedRanges.enumerated() {
            if let other = message.reservedRanges[..<index].first(where: { $0.start <= range.end && range.start <= $0.end }) {
                error("Reserved range \(range.start) to \(range.end) overlaps with already-defined range \(other.start) to \(other.end).", in: file.name, at: range.position)
            }
        }
        for range in message.extensionRanges {
            if file.syntax == .proto3 {
                error("Extension ranges are not allowed in proto3.", in: file.name, at: range.position)
            }
            if let other = message.reservedRanges.first(where: { $0.start <= range.end && range.start <= $0.end }) {
                error("Extension range \(range.start) to \(range.end) overlaps with reserved range \(other.start) to \(other.end).", in: file.name, at: range.position)
            }
        }
    }

    /// proto3 forbids two fields whose names are equal once lower-cased without underscores.
    private mutating func checkJSONNames(of message: ParsedMessage, file: String) {
        var seen: [String: String] = [:]
        for field in message.fields {
            let key = String(field.name.lowercased().filter { $0 != "_" })
            if let other = seen[key], other != field.name {
                error("The JSON camel-case name of field \"\(field.name)\" conflicts with field \"\(other)\". This is not allowed in proto3.", in: file, at: field.position)
            } else {
                seen[key] = field.name
            }
        }
    }

    mutating func build(_ parsed: ParsedEnum, scope: String, file: ParsedFile) {
        let fullName = SchemaResolver.qualify(scope, parsed.name)
        if file.syntax == .proto3, let first = parsed.values.first, first.number != 0 {
            error("The first enum value must be zero in proto3.", in: file.name, at: first.position)
        }
        var byNumber: [Int32: String] = [:]
        var hasAlias = false
        for value in parsed.values {
            if let other = byNumber[value.number] {
                hasAlias = true
                if !parsed.allowAlias {
                    error("\"\(SchemaResolver.qualify(scope, value.name))\" uses the same enum value as \"\(SchemaResolver.qualify(scope, other))\". If this is intended, set 'option allow_alias = true;' to the enum definition.", in: file.name, at: value.position)
                }
            } else {
                byNumber[value.number] = value.name
            }
            if parsed.reservedRanges.contains(where: { ($0.start...$0.end).contains(value.number) }) {
                error("Enum value \"\(value.name)\" uses reserved number \(value.number).", in: file.name, at: value.position)
            }
            if parsed.reservedNames.contains(where: { $0.name == value.name }) {
                error("Enum value \"\(value.name)\" is reserved.", in: file.name, at: value.position)
            }
        }
        let positions = Dictionary(parsed.values.map { ($0.name, $0.position) }, uniquingKeysWith: { first, _ in first })
        for conflict in EnumValueNames.conflicts(enumName: parsed.name, values: parsed.values.map { ($0.name, $0.number) }) {
            let message = "Enum name \(conflict.value) has the same name as \(conflict.earlier) if you ignore case and strip out the enum name prefix (if any). This is error-prone and can lead to undefined behavior. Please avoid doing this. If you are using allow_alias, please assign the same numeric value to both enums."
            let position = positions[conflict.value] ?? parsed.position
            if file.syntax == .proto3 {
                error(message, in: file.name, at: position)
            } else {
                sinks[file.name, default: DiagnosticSink(file: file.name)].warning(message, at: position)
            }
        }
        if parsed.allowAlias, !hasAlias {
            error("\"\(fullName)\" declares support for enum aliases but no enum values share field numbers. Please remove the unnecessary 'option allow_alias = true;' declaration.", in: file.name, at: parsed.position)
        }
        enums.append(EnumDescriptor(
            fullName: fullName,
            file: file.name,
            values: parsed.values.map { .init(name: $0.name, number: $0.number, isDeprecated: $0.isDeprecated) },
            allowAlias: parsed.allowAlias,
            isDeprecated: parsed.isDeprecated
        ))
    }
}
