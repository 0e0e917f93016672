/// The recursive-descent parser behind ``PathTemplate/init(_:)``; it works on the template's UTF-8 bytes.
struct PathTemplateParser {
    struct Result {
        var segments: [PathTemplate.Segment]
        var verb: String?
        var variables: [PathTemplate.Variable]
    }

    private let text: String
    private let bytes: [UInt8]
    private var position = 0
    private var segments: [PathTemplate.Segment] = []
    private var segmentOffsets: [Int] = []
    private var variables: [PathTemplate.Variable] = []
    private var variableOffsets: [Int] = []
    private var insideVariable = false
    private var variableHasMultiWildcard = false

    init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    mutating func parse() throws(PathTemplateError) -> Result {
        guard let first = bytes.first else {
            throw failure(.empty, "the template is empty; it must start with \"/\"")
        }
        guard first == ASCII.slash else {
            throw failure(.missingLeadingSlash, "it must start with \"/\"")
        }
        guard bytes.count > 1 else { return Result(segments: [], verb: nil, variables: []) }
        position = 1
        try parseSegments()
        var verb: String?
        if position < bytes.count, bytes[position] == ASCII.colon {
            verb = try parseVerb()
        }
        if position < bytes.count {
            throw failure(.unmatchedClosingBrace, "\"}\" at offset \(position) has no matching \"{\"")
        }
        try checkSegmentsAfterMultiWildcard()
        try checkDuplicateVariables()
        return Result(segments: segments, verb: verb, variables: variables)
    }

    // Segments = Segment { "/" Segment }
    private mutating func parseSegments() throws(PathTemplateError) {
        while true {
            try parseSegment()
            guard position < bytes.count, bytes[position] == ASCII.slash else { return }
            position += 1
        }
    }

    // Segment = "*" | "**" | LITERAL | Variable
    private mutating func parseSegment() throws(PathTemplateError) {
        guard position < bytes.count else {
            throw failure(.emptySegment, "empty segment at offset \(position) (a trailing \"/\" is not allowed)")
        }
        switch bytes[position] {
        case ASCII.slash, ASCII.colon:
            throw failure(.emptySegment, "empty segment at offset \(position)")
        case ASCII.closingBrace where insideVariable:
            throw failure(.emptySegment, "empty segment at offset \(position)")
        case ASCII.closingBrace:
            throw failure(.unmatchedClosingBrace, "\"}\" at offset \(position) has no matching \"{\"")
        case ASCII.openingBrace:
            try parseVariable()
        case ASCII.star:
            try parseWildcard()
        default:
            try parseLiteralSegment()
        }
    }

    private mutating func parseWildcard() throws(PathTemplateError) {
        let start = position
        position += 1
        var segment = PathTemplate.Segment.wildcard
        if position < bytes.count, bytes[position] == ASCII.star {
            position += 1
            segment = .multiWildcard
            variableHasMultiWildcard = variableHasMultiWildcard || insideVariable
        }
        if position < bytes.count, !ASCII.endsSegment(bytes[position]) {
            throw failure(.partialWildcard, "\"*\" at offset \(start) must be a whole segment (\"*\" or \"**\")")
        }
        append(segment, at: start)
    }

    private mutating func parseLiteralSegment() throws(PathTemplateError) {
        let start = position
        try scanLiteral(stoppingAt: ASCII.endsSegment)
        append(.literal(String(decoding: bytes[start..<position], as: UTF8.self)), at: start)
    }

    /// Advances over literal characters and percent escapes up to a byte for which `isEnd` holds.
    private mutating func scanLiteral(stoppingAt isEnd: (UInt8) -> Bool) throws(PathTemplateError) {
        while position < bytes.count, !isEnd(bytes[position]) {
            let byte = bytes[position]
            if byte == ASCII.percent {
                guard position + 2 < bytes.count, ASCII.isHexDigit(bytes[position + 1]),
                      ASCII.isHexDigit(bytes[position + 2])
                else {
                    throw failure(.invalidPercentEscape, "\"%\" at offset \(position) is not followed by two hex digits")
                }
                position += 3
                continue
            }
            if byte == ASCII.openingBrace {
                throw failure(.invalidCharacter, "\"{\" at offset \(position): a variable must be a whole segment")
            }
            guard ASCII.isLiteralCharacter(byte) else {
                throw failure(
                    .invalidCharacter,
                    "\(ASCII.describe(byte)) at offset \(position) is not allowed in a path template")
            }
            position += 1
        }
    }

    // Variable = "{" FieldPath [ "=" Segments ] "}"
    private mutating func parseVariable() throws(PathTemplateError) {
        let open = position
        if insideVariable {
            throw failure(.nestedVariable, "variable at offset \(open) is inside another variable; variables cannot nest")
        }
        position += 1
        let fieldPath = try parseFieldPath(open: open)
        insideVariable = true
        variableHasMultiWildcard = false
        let firstSegment = segments.count
        if bytes[position] == ASCII.equals {
            position += 1
            try parseSegments()
        } else {
            append(.wildcard, at: open)
        }
        guard position < bytes.count else {
            throw failure(.unclosedVariable, "\"{\" at offset \(open) is never closed")
        }
        guard bytes[position] == ASCII.closingBrace else {
            throw failure(
                .misplacedVerb,
                "\":\" at offset \(position) is inside a variable; a verb may only end the template")
        }
        position += 1
        insideVariable = false
        if position < bytes.count, bytes[position] == ASCII.closingBrace {
            throw failure(.unmatchedClosingBrace, "\"}\" at offset \(position) has no matching \"{\"")
        }
        if position < bytes.count, bytes[position] != ASCII.slash, bytes[position] != ASCII.colon {
            throw failure(
                .invalidCharacter,
                "\(ASCII.describe(bytes[position])) at offset \(position) follows a variable; a variable must be a whole segment")
        }
        variables.append(PathTemplate.Variable(
            fieldPath: fieldPath,
            firstSegment: firstSegment,
            segmentCount: segments.count - firstSegment,
            containsMultiWildcard: variableHasMultiWildcard))
        variableOffsets.append(open)
    }

    // FieldPath = IDENT { "." IDENT }; stops before "=" or "}".
    private mutating func parseFieldPath(open: Int) throws(PathTemplateError) -> [String] {
        let start = position
        while position < bytes.count, ASCII.isIdentifierCharacter(bytes[position]) || bytes[position] == ASCII.dot {
            position += 1
        }
        guard position < bytes.count else {
            throw failure(.unclosedVariable, "\"{\" at offset \(open) is never closed")
        }
        guard bytes[position] == ASCII.equals || bytes[position] == ASCII.closingBrace else {
            throw failure(
                .invalidFieldName,
                "\(ASCII.describe(bytes[position])) at offset \(position) is not allowed in a field path")
        }
        guard position > start else {
            throw failure(.emptyFieldPath, "variable at offset \(open) names no field")
        }
        let pathText = String(decoding: bytes[start..<position], as: UTF8.self)
        let names = pathText.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard names.allSatisfy(ASCII.isIdentifier) else {
            throw failure(
                .invalidFieldName,
                "invalid field path \"\(pathText)\" at offset \(start): each name must be a protobuf identifier")
        }
        return names
    }

    // Verb = ":" LITERAL
    private mutating func parseVerb() throws(PathTemplateError) -> String {
        let colon = position
        position += 1
        let start = position
        try scanLiteral { $0 == ASCII.slash || $0 == ASCII.colon || $0 == ASCII.closingBrace }
        if position < bytes.count, bytes[position] != ASCII.closingBrace {
            throw failure(
                .misplacedVerb,
                "\":\" at offset \(colon) starts a verb, but a verb may only end the template")
        }
        guard position > start else {
            throw failure(.emptyVerb, "the verb after \":\" at offset \(colon) is empty")
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private func checkSegmentsAfterMultiWildcard() throws(PathTemplateError) {
        var multiWildcardOffset: Int?
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .literal:
                continue
            case .wildcard, .multiWildcard:
                if let earlier = multiWildcardOffset {
                    throw failure(
                        .wildcardAfterMultiWildcard,
                        "the wildcard at offset \(segmentOffsets[index]) follows \"**\" at offset \(earlier); "
                            + "only literal segments may follow \"**\"")
                }
                if segment == .multiWildcard { multiWildcardOffset = segmentOffsets[index] }
            }
        }
    }

    private func checkDuplicateVariables() throws(PathTemplateError) {
        var seen: [[String]: Int] = [:]
        for (index, variable) in variables.enumerated() {
            if let earlier = seen[variable.fieldPath] {
                throw failure(
                    .duplicateVariable,
                    "field \"\(variable.fieldPath.joined(separator: "."))\" is bound twice "
                        + "(variables at offsets \(earlier) and \(variableOffsets[index]))")
            }
            seen[variable.fieldPath] = variableOffsets[index]
        }
    }

    private mutating func append(_ segment: PathTemplate.Segment, at offset: Int) {
        segments.append(segment)
        segmentOffsets.append(offset)
    }

    private func failure(_ code: PathTemplateError.Code, _ reason: String) -> PathTemplateError {
        PathTemplateError(code: code, template: text, reason: reason)
    }
}
