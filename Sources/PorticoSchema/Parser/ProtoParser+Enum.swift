/// Enums and their values.
extension ProtoParser {
    /// `enum Name { VALUE = 0; … }`
    mutating func parseEnum() throws(StatementFailure) -> ParsedEnum {
        advance()
        let nameToken = try expectIdentifier("enum name")
        var parsed = ParsedEnum(name: nameToken.text, position: nameToken.position)
        try expect("{")
        while !tryConsume("}") {
            guard current.kind != .endOfFile else { throw failure("Reached end of input in enum definition (missing '}').") }
            statement { parser throws(StatementFailure) in try parser.parseEnumStatement(into: &parsed) }
        }
        if parsed.values.isEmpty {
            diagnostics.error("Enums must contain at least one value.", at: nameToken.position)
        }
        return parsed
    }

    private mutating func parseEnumStatement(into parsed: inout ParsedEnum) throws(StatementFailure) {
        if tryConsume(";") { return }
        if current.isIdentifier("option") {
            let option = try parseOptionStatement()
            guard let name = checkOption(option, target: .enumType) else { return }
            switch name {
            case "allow_alias": parsed.allowAlias = boolValue(option)
            case "deprecated": parsed.isDeprecated = boolValue(option)
            default: checkScalarOption(option, name: name)
            }
            return
        }
        if current.isIdentifier("reserved") {
            try parseReserved(
                max: Int64(Int32.max), allowNegative: true, ranges: &parsed.reservedRanges, names: &parsed.reservedNames
            )
            return
        }
        let nameToken = try expectIdentifier("enum constant name")
        try expect("=")
        let number = try parseInteger("integer", in: Int64(Int32.min)...Int64(Int32.max), allowNegative: true)
        var value = ParsedEnum.Value(name: nameToken.text, number: Int32(number), position: nameToken.position)
        for option in try parseOptionList() {
            if checkOption(option, target: .enumValue) == "deprecated" {
                value.isDeprecated = boolValue(option)
            }
        }
        try expect(";")
        parsed.values.append(value)
    }
}
