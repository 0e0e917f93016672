/// Services, methods and the `google.api.http` method option.
extension ProtoParser {
    /// `service Name { rpc … }`
    mutating func parseService() throws(StatementFailure) -> ParsedService {
        advance()
        let nameToken = try expectIdentifier("service name")
        var service = ParsedService(name: nameToken.text, position: nameToken.position)
        try expect("{")
        while !tryConsume("}") {
            guard current.kind != .endOfFile else { throw failure("Reached end of input in service definition (missing '}').") }
            statement { parser throws(StatementFailure) in
                if parser.tryConsume(";") { return }
                if parser.current.isIdentifier("option") {
                    let option = try parser.parseOptionStatement()
                    if parser.checkOption(option, target: .service) != nil {
                        _ = parser.boolValue(option)
                    }
                } else if parser.current.isIdentifier("rpc") {
                    service.methods.append(try parser.parseMethod())
                } else {
                    throw parser.failure("Expected \"rpc\", found \(parser.current.quoted).")
                }
            }
        }
        return service
    }

    /// `rpc Name (stream? Input) returns (stream? Output) ;` or with a `{ option … }` body.
    private mutating func parseMethod() throws(StatementFailure) -> ParsedService.Method {
        let keyword = consume()
        let nameToken = try expectIdentifier("method name")
        try expect("(")
        let clientStreaming = current.isIdentifier("stream")
        if clientStreaming { advance() }
        let inputPosition = current.position
        let input = try parseDottedName("request type", allowLeadingDot: true)
        try expect(")")
        try expect("returns")
        try expect("(")
        let serverStreaming = current.isIdentifier("stream")
        if serverStreaming { advance() }
        let outputPosition = current.position
        let output = try parseDottedName("response type", allowLeadingDot: true)
        try expect(")")
        var method = ParsedService.Method(
            name: nameToken.text, position: nameToken.position, inputType: input, inputPosition: inputPosition,
            outputType: output, outputPosition: outputPosition, clientStreaming: clientStreaming,
            serverStreaming: serverStreaming
        )
        method.documentation = keyword.leadingComment
        if tryConsume(";") { return method }
        try expect("{")
        var httpFields: [TextField] = []
        var httpPosition: SourcePosition?
        while !tryConsume("}") {
            guard current.kind != .endOfFile else { throw failure("Reached end of input in method options (missing '}').") }
            statement { parser throws(StatementFailure) in
                if parser.tryConsume(";") { return }
                guard parser.current.isIdentifier("option") else {
                    throw parser.failure("Expected \"option\", found \(parser.current.quoted).")
                }
                let option = try parser.parseOptionStatement()
                if option.isHttpRule {
                    httpPosition = httpPosition ?? option.position
                    let fields = parser.httpRuleFields(of: option)
                    if option.name.count > 1 {
                        for field in fields { ProtoParser.merge(field, into: &httpFields) }
                    } else {
                        httpFields += fields
                    }
                    return
                }
                switch parser.checkOption(option, target: .method) {
                case "deprecated": method.isDeprecated = parser.boolValue(option)
                case let name?: parser.checkScalarOption(option, name: name)
                case nil: break
                }
            }
        }
        if let httpPosition {
            var builder = HttpRuleBuilder(diagnostics: diagnostics)
            method.httpRule = builder.rule(from: httpFields, at: httpPosition)
            diagnostics = builder.diagnostics
        }
        return method
    }

    /// Adds a field set by a sub-field option (`(google.api.http).custom.kind = …`), merging it into a
    /// message the earlier options of the same method already started, as protoc does.
    static func merge(_ field: TextField, into fields: inout [TextField]) {
        guard case .message(let newFields) = field.value, field.name != "additional_bindings",
              let index = fields.firstIndex(where: { $0.name == field.name }),
              case .message(var existing) = fields[index].value
        else {
            fields.append(field)
            return
        }
        for newField in newFields { merge(newField, into: &existing) }
        fields[index].value = .message(existing)
    }

    /// The text-format fields an `(google.api.http)` option sets: the whole aggregate, or the one sub-field
    /// of `option (google.api.http).get = "/v1/x";`.
    private mutating func httpRuleFields(of option: ParsedOption) -> [TextField] {
        var value = option.value
        for part in option.name.dropFirst().reversed() {
            if part.isExtension {
                diagnostics.error("Option \"\(option.displayName)\" unknown.", at: option.position)
                return []
            }
            value = .message([TextField(name: part.text, position: option.position, value: value)])
        }
        guard case .message(let fields) = value else {
            diagnostics.error("Option \"(google.api.http)\" is a message. To set the entire message, use syntax like \"(google.api.http) = { <proto text format> }\". To set fields within it, use syntax like \"(google.api.http).foo = value\".", at: option.valuePosition)
            return []
        }
        return fields
    }
}
