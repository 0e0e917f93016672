/// Parses the tokens of one `.proto` file into a ``ParsedFile``, collecting every syntax error.
///
/// After an error the parser skips to the end of the statement (or block) and carries on, so one run
/// reports every problem of the file. Names are resolved later by ``SchemaResolver``.
struct ProtoParser {
    /// Thrown inside the parser to abandon the current statement; the diagnostic is already recorded.
    struct StatementFailure: Error {}

    var tokens: [ProtoToken]
    var index = 0
    var diagnostics: DiagnosticSink
    var file: ParsedFile
    /// How many messages and text-format values enclose the current token; bounded by ``maxNesting``.
    var nesting = 0
    /// Built-in files declare the option extensions Portico understands; their `extend` blocks are silent.
    let isBuiltIn: Bool

    /// Parses `text` as the file `name`; the diagnostics hold every error and warning found.
    static func parse(name: String, text: String, isBuiltIn: Bool = false) -> (file: ParsedFile, diagnostics: [ProtoDiagnostic]) {
        var sink = DiagnosticSink(file: name)
        let tokens = ProtoLexer.tokenize(text, diagnostics: &sink)
        var parser = ProtoParser(tokens: tokens, diagnostics: sink, file: ParsedFile(name: name), isBuiltIn: isBuiltIn)
        parser.parseFile()
        return (parser.file, parser.diagnostics.diagnostics)
    }

    // MARK: Tokens

    var current: ProtoToken { tokens[index] }

    func lookahead(_ distance: Int) -> ProtoToken {
        tokens[min(index + distance, tokens.count - 1)]
    }

    mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    @discardableResult
    mutating func consume() -> ProtoToken {
        let token = current
        advance()
        return token
    }

    mutating func tryConsume(_ symbol: String) -> Bool {
        guard current.isSymbol(symbol) || current.isIdentifier(symbol) else { return false }
        advance()
        return true
    }

    /// Records an error and returns the failure to throw.
    mutating func failure(_ message: String, at position: SourcePosition? = nil) -> StatementFailure {
        diagnostics.error(message, at: position ?? current.position)
        return StatementFailure()
    }

    mutating func expect(_ symbol: String) throws(StatementFailure) {
        guard tryConsume(symbol) else { throw failure("Expected \"\(symbol)\", found \(current.quoted).") }
    }

    mutating func expectIdentifier(_ what: String) throws(StatementFailure) -> ProtoToken {
        guard current.kind == .identifier else { throw failure("Expected \(what), found \(current.quoted).") }
        return consume()
    }

    /// A dotted name (`a.b.C`), with a leading dot kept when `allowLeadingDot`.
    mutating func parseDottedName(_ what: String, allowLeadingDot: Bool = false) throws(StatementFailure) -> String {
        var name = ""
        if allowLeadingDot, tryConsume(".") { name = "." }
        name += try expectIdentifier(what).text
        while current.isSymbol("."), lookahead(1).kind == .identifier {
            advance()
            name += "." + consume().text
        }
        return name
    }

    /// One or more adjacent string literals, concatenated.
    mutating func parseStrings(_ what: String) throws(StatementFailure) -> ProtoToken {
        guard current.kind == .string else { throw failure("Expected \(what), found \(current.quoted).") }
        var token = consume()
        while current.kind == .string {
            token.bytes += consume().bytes
        }
        return token
    }

    /// An integer literal, `-` allowed when `allowNegative`, that fits `range`.
    mutating func parseInteger(_ what: String, in range: ClosedRange<Int64>, allowNegative: Bool = false) throws(StatementFailure) -> Int64 {
        let start = current.position
        let negative = allowNegative && tryConsume("-")
        guard current.kind == .integer else { throw failure("Expected \(what), found \(current.quoted).") }
        let token = consume()
        guard let magnitude = ProtoParser.integerValue(token.text), magnitude <= UInt64(Int64.max) + (negative ? 1 : 0) else {
            throw failure("Integer out of range.", at: start)
        }
        let value = negative ? (magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)) : Int64(magnitude)
        guard range.contains(value) else { throw failure("Integer out of range.", at: start) }
        return value
    }

    /// The value of an unsigned integer literal (decimal, `0x` hex or `0` octal), `nil` on overflow.
    static func integerValue(_ text: String) -> UInt64? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            return UInt64(text.dropFirst(2), radix: 16)
        }
        if text.count > 1, text.hasPrefix("0") {
            return UInt64(text.dropFirst(), radix: 8)
        }
        return UInt64(text, radix: 10)
    }

    /// The deepest nesting of messages (and of text-format values) accepted, so hostile input cannot
    /// exhaust the stack.
    static let maxNesting = 64

    /// Enters one level of nesting, failing beyond ``maxNesting``; balance with `nesting -= 1`.
    mutating func enterNesting() throws(StatementFailure) {
        guard nesting < ProtoParser.maxNesting else {
            throw failure("Declarations are nested more than \(ProtoParser.maxNesting) levels deep.")
        }
        nesting += 1
    }

    /// Skips the rest of a failed statement: up to and including `;`, or a whole `{ … }` block, or up to
    /// (not including) the `}` that closes the enclosing block.
    mutating func recover() {
        var depth = 0
        while current.kind != .endOfFile {
            if current.isSymbol("{") {
                depth += 1
            } else if current.isSymbol("}") {
                if depth == 0 { return }
                depth -= 1
                if depth == 0 {
                    advance()
                    return
                }
            } else if current.isSymbol(";"), depth == 0 {
                advance()
                return
            }
            advance()
        }
    }

    /// Runs one statement parser, recovering after a failure so the next statement can be read.
    mutating func statement(_ body: (inout ProtoParser) throws(StatementFailure) -> Void) {
        let start = index
        do {
            try body(&self)
        } catch {
            if index == start, current.kind != .endOfFile, !current.isSymbol("}") { advance() }
            recover()
            if index == start { advance() }
        }
    }

    // MARK: File

    mutating func parseFile() {
        if current.isIdentifier("syntax") || current.isIdentifier("edition") {
            statement { parser throws(StatementFailure) in try parser.parseSyntax() }
        } else {
            diagnostics.warning("No syntax specified for the proto file; proto2 assumed. Please use 'syntax = \"proto2\";' or 'syntax = \"proto3\";' to specify a syntax version.", at: current.position)
        }
        var sawPackage = false
        while current.kind != .endOfFile {
            statement { parser throws(StatementFailure) in
                try parser.parseTopLevelStatement(sawPackage: &sawPackage)
            }
        }
    }

    private mutating func parseSyntax() throws(StatementFailure) {
        let keyword = consume()
        if keyword.text == "edition" {
            throw failure("Editions are not supported; use syntax = \"proto2\" or syntax = \"proto3\".", at: keyword.position)
        }
        try expect("=")
        let value = try parseStrings("syntax identifier")
        switch String(decoding: value.bytes, as: UTF8.self) {
        case "proto2": file.syntax = .proto2
        case "proto3": file.syntax = .proto3
        case let other:
            throw failure("Unrecognized syntax identifier \"\(other)\".  This parser only recognizes \"proto2\" and \"proto3\".", at: value.position)
        }
        try expect(";")
    }

    private mutating func parseTopLevelStatement(sawPackage: inout Bool) throws(StatementFailure) {
        let keyword = current
        guard keyword.kind == .identifier else {
            if tryConsume(";") { return }
            throw failure("Expected top-level statement (e.g. \"message\").")
        }
        switch keyword.text {
        case "syntax", "edition":
            throw failure("\"\(keyword.text)\" must be the first statement of the file.")
        case "package":
            advance()
            if sawPackage { throw failure("Multiple package definitions.", at: keyword.position) }
            sawPackage = true
            file.packagePosition = current.position
            file.package = try parseDottedName("package name")
            try expect(";")
        case "import":
            advance()
            var kind = ParsedFile.Import.Kind.normal
            if tryConsume("public") { kind = .public } else if tryConsume("weak") { kind = .weak }
            let path = try parseStrings("a string naming the file to import")
            try expect(";")
            file.imports.append(.init(path: String(decoding: path.bytes, as: UTF8.self), kind: kind, position: path.position))
        case "option":
            let option = try parseOptionStatement()
            applyFileOption(option)
        case "message":
            file.messages.append(try parseMessage())
        case "enum":
            file.enums.append(try parseEnum())
        case "service":
            file.services.append(try parseService())
        case "extend":
            try parseExtend()
        default:
            throw failure("Expected top-level statement (e.g. \"message\").")
        }
    }

    /// `extend Type { … }`: the fields are skipped; a warning says so outside the built-in files.
    mutating func parseExtend() throws(StatementFailure) {
        let keyword = consume()
        let extendee = try parseDottedName("message type to extend", allowLeadingDot: true)
        guard current.isSymbol("{") else { throw failure("Expected \"{\", found \(current.quoted).") }
        recover()
        if !isBuiltIn {
            diagnostics.warning("Extensions of \"\(extendee)\" are ignored.", at: keyword.position)
        }
    }
}
