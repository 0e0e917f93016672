/// Messages: fields, maps, oneofs, reserved and extension ranges, nested declarations.
extension ProtoParser {
    /// The largest field number protobuf allows.
    static let maxFieldNumber: Int64 = 536_870_911

    /// `message Name { … }`
    mutating func parseMessage() throws(StatementFailure) -> ParsedMessage {
        try enterNesting()
        defer { nesting -= 1 }
        let keyword = consume()
        let nameToken = try expectIdentifier("message name")
        var message = ParsedMessage(name: nameToken.text, position: nameToken.position, documentation: keyword.leadingComment)
        try expect("{")
        while !tryConsume("}") {
            guard current.kind != .endOfFile else { throw failure("Reached end of input in message definition (missing '}').") }
            statement { parser throws(StatementFailure) in try parser.parseMessageStatement(into: &message) }
        }
        ProtoParser.addSyntheticOneofs(to: &message)
        return message
    }

    /// Gives each proto3 `optional` field its own oneof after the declared ones, named as protoc names it:
    /// `_name`, with `X` prepended until it clashes with no field or oneof.
    static func addSyntheticOneofs(to message: inout ParsedMessage) {
        var names = Set(message.fields.map(\.name) + message.oneofs.map(\.name))
        for index in message.fields.indices where message.fields[index].isProto3Optional {
            var name = message.fields[index].name
            if !name.hasPrefix("_") { name = "_" + name }
            while names.contains(name) { name = "X" + name }
            names.insert(name)
            message.fields[index].oneofIndex = message.oneofs.count
            message.oneofs.append(MessageDescriptor.Oneof(name: name, isSynthetic: true))
            message.oneofPositions.append(message.fields[index].position)
        }
    }

    private mutating func parseMessageStatement(into message: inout ParsedMessage) throws(StatementFailure) {
        if tryConsume(";") { return }
        switch current.kind == .identifier ? current.text : "" {
        case "message":
            message.messages.append(try parseMessage())
        case "enum":
            message.enums.append(try parseEnum())
        case "oneof":
            try parseOneof(into: &message)
        case "reserved":
            try parseReserved(max: ProtoParser.maxFieldNumber, allowNegative: false, ranges: &message.reservedRanges, names: &message.reservedNames)
        case "extensions":
            try parseExtensions(into: &message)
        case "extend":
            try parseExtend()
        case "option":
            let option = try parseOptionStatement()
            guard let name = checkOption(option, target: .message) else { return }
            switch name {
            case "map_entry":
                diagnostics.error("map_entry should not be set explicitly. Use map<KeyType, ValueType> instead.", at: option.position)
            case "deprecated":
                message.isDeprecated = boolValue(option)
            default:
                checkScalarOption(option, name: name)
            }
        case "map" where lookahead(1).isSymbol("<"):
            try parseMapField(into: &message, labelPosition: nil)
        default:
            try parseField(into: &message, oneofIndex: nil)
        }
    }

    // MARK: Fields

    /// `label? type name = number [options];` (or a group, which is rejected).
    mutating func parseField(into message: inout ParsedMessage, oneofIndex: Int?) throws(StatementFailure) {
        let start = current
        var label: FieldDescriptor.Label = .optional
        var labelKeyword: String?
        if ["required", "optional", "repeated"].contains(current.text), current.kind == .identifier,
           lookahead(1).kind == .identifier || lookahead(1).isSymbol(".") {
            labelKeyword = consume().text
            label = labelKeyword == "repeated" ? .repeated : labelKeyword == "required" ? .required : .optional
        }
        if current.isIdentifier("group"), lookahead(1).kind == .identifier, lookahead(2).isSymbol("=") {
            throw failure("Groups are not supported; use a nested message instead.", at: current.position)
        }
        if current.isIdentifier("map"), lookahead(1).isSymbol("<") {
            if oneofIndex != nil { throw failure("Map fields are not allowed in oneofs.", at: start.position) }
            try parseMapField(into: &message, labelPosition: labelKeyword == nil ? nil : start.position)
            message.fields[message.fields.count - 1].documentation = start.leadingComment
            return
        }
        if labelKeyword != nil, oneofIndex != nil {
            throw failure("Fields in oneofs must not have labels (required / optional / repeated).", at: start.position)
        }
        if oneofIndex == nil, labelKeyword == nil, file.syntax == .proto2 {
            throw failure("Expected \"required\", \"optional\", or \"repeated\".", at: start.position)
        }
        if labelKeyword == "required", file.syntax == .proto3 {
            throw failure("Required fields are not allowed in proto3.", at: start.position)
        }
        let typePosition = current.position
        let type = try parseTypeReference()
        var field = try parseFieldTail(
            label: label, labelKeyword: labelKeyword, type: type, typePosition: typePosition, oneofIndex: oneofIndex
        )
        if labelKeyword == "optional", file.syntax == .proto3 {
            field.isProto3Optional = true
        }
        field.documentation = start.leadingComment
        message.fields.append(field)
    }

    /// A scalar keyword or a message/enum name.
    mutating func parseTypeReference() throws(StatementFailure) -> ParsedTypeReference {
        if current.kind == .identifier, let scalar = FieldType(keyword: current.text), !lookahead(1).isSymbol(".") {
            advance()
            return .scalar(scalar)
        }
        return .named(try parseDottedName("type name", allowLeadingDot: true))
    }

    /// `name = number [options];` after the type.
    private mutating func parseFieldTail(
        label: FieldDescriptor.Label,
        labelKeyword: String?,
        type: ParsedTypeReference,
        typePosition: SourcePosition,
        oneofIndex: Int?
    ) throws(StatementFailure) -> ParsedField {
        let nameToken = try expectIdentifier("field name")
        try expect("=")
        let numberPosition = current.position
        let number = try parseFieldNumber()
        var field = ParsedField(
            name: nameToken.text, position: nameToken.position, number: number, numberPosition: numberPosition,
            label: label, labelKeyword: labelKeyword, type: type, typePosition: typePosition, oneofIndex: oneofIndex
        )
        for option in try parseOptionList() {
            try applyFieldOption(option, to: &field)
        }
        try expect(";")
        return field
    }

    /// A field number: a positive integer up to 536,870,911.
    private mutating func parseFieldNumber() throws(StatementFailure) -> Int32 {
        let position = current.position
        guard current.kind == .integer else { throw failure("Expected field number, found \(current.quoted).") }
        let text = consume().text
        guard let value = ProtoParser.integerValue(text), value <= UInt64(Int32.max) else {
            throw failure("Field numbers cannot be greater than \(ProtoParser.maxFieldNumber).", at: position)
        }
        if value == 0 { throw failure("Field numbers must be positive integers.", at: position) }
        if Int64(value) > ProtoParser.maxFieldNumber {
            throw failure("Field numbers cannot be greater than \(ProtoParser.maxFieldNumber).", at: position)
        }
        return Int32(value)
    }

    private mutating func applyFieldOption(_ option: ParsedOption, to field: inout ParsedField) throws(StatementFailure) {
        if option.name == [.init(text: "default", isExtension: false)] {
            if file.syntax == .proto3 { throw failure("Explicit default values are not allowed in proto3.", at: option.position) }
            if field.defaultValue != nil { throw failure("Already set option \"default\".", at: option.position) }
            if field.label == .repeated { throw failure("Repeated fields can't have default values.", at: option.position) }
            guard case .scalar(let negative, let token) = option.value else {
                throw failure("Default value must be a scalar.", at: option.valuePosition)
            }
            field.defaultValue = ParsedDefault(isNegative: negative, token: token)
            return
        }
        if option.name == [.init(text: "json_name", isExtension: false)] {
            if field.jsonName != nil { throw failure("Already set option \"json_name\".", at: option.position) }
            guard case .scalar(false, let token) = option.value, token.kind == .string else {
                throw failure("Expected string for JSON name.", at: option.valuePosition)
            }
            field.jsonName = String(decoding: token.bytes, as: UTF8.self)
            return
        }
        guard let name = checkOption(option, target: .field) else { return }
        switch name {
        case "packed": field.packedOption = boolValue(option)
        case "deprecated": field.isDeprecated = boolValue(option)
        default: checkScalarOption(option, name: name)
        }
    }

    /// `map<Key, Value> name = number [options];`, which also declares the nested `NameEntry` message.
    private mutating func parseMapField(into message: inout ParsedMessage, labelPosition: SourcePosition?) throws(StatementFailure) {
        if let labelPosition {
            throw failure("Field labels (required/optional/repeated) are not allowed on map fields.", at: labelPosition)
        }
        let mapPosition = consume().position
        try expect("<")
        let keyPosition = current.position
        let keyType = try parseTypeReference()
        try expect(",")
        let valuePosition = current.position
        let valueType = try parseTypeReference()
        try expect(">")
        var field = try parseFieldTail(
            label: .repeated, labelKeyword: nil, type: .named(""), typePosition: mapPosition, oneofIndex: nil
        )
        if field.defaultValue != nil { throw failure("Map fields can't have default values.", at: field.position) }
        let entryName = ProtoParser.mapEntryName(field.name)
        field.type = .named(entryName)
        var entry = ParsedMessage(name: entryName, position: field.position)
        entry.isMapEntry = true
        entry.fields = [
            ParsedField(
                name: "key", position: keyPosition, number: 1, numberPosition: keyPosition, label: .optional,
                type: keyType, typePosition: keyPosition, jsonName: "key"
            ),
            ParsedField(
                name: "value", position: valuePosition, number: 2, numberPosition: valuePosition, label: .optional,
                type: valueType, typePosition: valuePosition, jsonName: "value"
            ),
        ]
        message.messages.append(entry)
        message.fields.append(field)
    }

    /// protoc's name for the entry message of a map field: `order_items` → `OrderItemsEntry`.
    static func mapEntryName(_ fieldName: String) -> String {
        var result = ""
        var capitalizeNext = true
        for character in fieldName {
            if character == "_" {
                capitalizeNext = true
            } else if capitalizeNext {
                result.append(character.isASCII ? Character(character.uppercased()) : character)
                capitalizeNext = false
            } else {
                result.append(character)
            }
        }
        return result + "Entry"
    }

    // MARK: Oneofs and ranges

    private mutating func parseOneof(into message: inout ParsedMessage) throws(StatementFailure) {
        advance()
        let nameToken = try expectIdentifier("oneof name")
        let oneofIndex = message.oneofs.count
        message.oneofs.append(MessageDescriptor.Oneof(name: nameToken.text))
        message.oneofPositions.append(nameToken.position)
        try expect("{")
        var declaresField = false
        while !tryConsume("}") {
            guard current.kind != .endOfFile else { throw failure("Reached end of input in oneof definition (missing '}').") }
            statement { parser throws(StatementFailure) in
                if parser.tryConsume(";") { return }
                if parser.current.isIdentifier("option") {
                    let option = try parser.parseOptionStatement()
                    _ = parser.checkOption(option, target: .oneof)
                } else {
                    declaresField = true
                    try parser.parseField(into: &message, oneofIndex: oneofIndex)
                }
            }
        }
        if !declaresField {
            diagnostics.error("Oneof must have at least one field.", at: nameToken.position)
        }
    }

    /// `reserved 2, 9 to 11, 40 to max;` or `reserved "foo", "bar";`
    mutating func parseReserved(
        max: Int64,
        allowNegative: Bool,
        ranges: inout [ParsedMessage.Range],
        names: inout [(name: String, position: SourcePosition)]
    ) throws(StatementFailure) {
        advance()
        if current.kind == .string {
            repeat {
                let token = try parseStrings("field name")
                names.append((String(decoding: token.bytes, as: UTF8.self), token.position))
            } while tryConsume(",")
        } else {
            ranges += try parseRanges(max: max, allowNegative: allowNegative)
        }
        try expect(";")
    }

    /// A comma-separated list of `n` or `n to m` (`m` may be `max`).
    private mutating func parseRanges(max: Int64, allowNegative: Bool) throws(StatementFailure) -> [ParsedMessage.Range] {
        var ranges: [ParsedMessage.Range] = []
        let lower: Int64 = allowNegative ? Int64(Int32.min) : 1
        repeat {
            let position = current.position
            let start = try parseInteger("field number range", in: lower...max, allowNegative: allowNegative)
            var end = start
            if tryConsume("to") {
                if tryConsume("max") {
                    end = max
                } else {
                    end = try parseInteger("field number range end", in: lower...max, allowNegative: allowNegative)
                }
            }
            if end < start {
                throw failure("Reserved range end number must be greater than start number.", at: position)
            }
            ranges.append(ParsedMessage.Range(start: Int32(start), end: Int32(end), position: position))
        } while tryConsume(",")
        return ranges
    }

    private mutating func parseExtensions(into message: inout ParsedMessage) throws(StatementFailure) {
        advance()
        message.extensionRanges += try parseRanges(max: ProtoParser.maxFieldNumber, allowNegative: false)
        for option in try parseOptionList() {
            _ = checkOption(option, target: .extensionRange)
        }
        try expect(";")
    }
}
