/// Splits `.proto` source into tokens, dropping whitespace, and keeping of the `//` and `/* */` comments only
/// the one directly above a token (its ``ProtoToken/leadingComment``, which documents a declaration).
///
/// Strings are unescaped here (C escapes, octal, `\x` hex, `\u` and `\U` code points); numbers keep their
/// text and are converted by the parser once it knows the type they must fit.
struct ProtoLexer {
    private let source: [UInt8]
    private var offset = 0
    private var line = 1
    private var lineStart = 0

    init(text: String) {
        source = Array(text.utf8)
    }

    /// Every token of the source, ending with one `.endOfFile` token.
    static func tokenize(_ text: String, diagnostics: inout DiagnosticSink) -> [ProtoToken] {
        var lexer = ProtoLexer(text: text)
        var tokens: [ProtoToken] = []
        while true {
            let token = lexer.next(diagnostics: &diagnostics)
            tokens.append(token)
            if token.kind == .endOfFile { return tokens }
        }
    }

    private var position: SourcePosition {
        SourcePosition(line: line, column: offset - lineStart + 1)
    }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        offset + ahead < source.count ? source[offset + ahead] : nil
    }

    private mutating func advance() {
        if source[offset] == UInt8(ascii: "\n") {
            line += 1
            lineStart = offset + 1
        }
        offset += 1
    }

    private mutating func next(diagnostics: inout DiagnosticSink) -> ProtoToken {
        let comment = skipWhitespaceAndComments(diagnostics: &diagnostics)
        var token = token(diagnostics: &diagnostics)
        token.leadingComment = comment
        return token
    }

    private mutating func token(diagnostics: inout DiagnosticSink) -> ProtoToken {
        let start = position
        guard let byte = peek() else { return ProtoToken(kind: .endOfFile, text: "", position: start) }
        if byte.isLetter || byte == UInt8(ascii: "_") {
            return ProtoToken(kind: .identifier, text: take { $0.isLetter || $0.isDigit || $0 == UInt8(ascii: "_") }, position: start)
        }
        if byte.isDigit || (byte == UInt8(ascii: ".") && peek(1)?.isDigit == true) {
            return number(at: start, diagnostics: &diagnostics)
        }
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
            return string(quote: byte, at: start, diagnostics: &diagnostics)
        }
        advance()
        if byte >= 0x80 || byte < 0x20 {
            diagnostics.error("Invalid character in source.", at: start)
            _ = skipWhitespaceAndComments(diagnostics: &diagnostics)
            return token(diagnostics: &diagnostics)
        }
        return ProtoToken(kind: .symbol, text: String(UnicodeScalar(byte)), position: start)
    }

    private mutating func take(while predicate: (UInt8) -> Bool) -> String {
        let begin = offset
        while let byte = peek(), predicate(byte) { advance() }
        return String(decoding: source[begin..<offset], as: UTF8.self)
    }

    /// Skips whitespace and comments up to the next token, returning the comment block directly above it:
    /// comments after a blank line start a new block, and a comment on the previous token's line is that
    /// token's trailing comment, not a leading one.
    private mutating func skipWhitespaceAndComments(diagnostics: inout DiagnosticSink) -> String? {
        var block: [String] = []
        var newlines = offset == 0 ? 1 : 0
        while let byte = peek() {
            if byte == UInt8(ascii: "\n") {
                newlines += 1
                if newlines >= 2 { block = [] }
                advance()
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == 0x0B || byte == 0x0C {
                advance()
            } else if byte == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "/") {
                advance()
                advance()
                let text = take { $0 != UInt8(ascii: "\n") }
                if newlines > 0 { block.append(text) }
                newlines = 0
            } else if byte == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                let start = position
                advance()
                advance()
                let begin = offset
                var end = offset
                var closed = false
                while let byte = peek() {
                    if byte == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                        end = offset
                        advance()
                        advance()
                        closed = true
                        break
                    }
                    advance()
                    end = offset
                }
                if !closed { diagnostics.error("End-of-file inside block comment.", at: start) }
                if newlines > 0 {
                    block = String(decoding: source[begin..<end], as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                        .map { Self.trimmedBlockLine($0) }
                }
                newlines = 0
            } else {
                return ProtoComment.normalized(block.joined(separator: "\n"))
            }
        }
        return nil
    }

    /// ` * text` → ` text`, as protoc keeps a block comment's lines.
    private static func trimmedBlockLine(_ line: Substring) -> String {
        let text = line.drop { $0 == " " || $0 == "\t" }
        return String(text.hasPrefix("*") ? text.dropFirst() : line)
    }

    private mutating func number(at start: SourcePosition, diagnostics: inout DiagnosticSink) -> ProtoToken {
        let begin = offset
        var isFloat = false
        if peek() == UInt8(ascii: "0"), let x = peek(1), x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
            advance()
            advance()
            let digits = take { $0.isHexDigit }
            if digits.isEmpty { diagnostics.error("\"0x\" must be followed by hex digits.", at: start) }
        } else {
            _ = take { $0.isDigit }
            if peek() == UInt8(ascii: ".") {
                isFloat = true
                advance()
                _ = take { $0.isDigit }
            }
            if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
                isFloat = true
                advance()
                if let sign = peek(), sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { advance() }
                if take(while: { $0.isDigit }).isEmpty {
                    diagnostics.error("\"e\" must be followed by exponent.", at: start)
                }
            }
        }
        if let byte = peek(), byte.isLetter || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") {
            diagnostics.error("Need space between number and identifier.", at: position)
        }
        let text = String(decoding: source[begin..<offset], as: UTF8.self)
        if !isFloat, text.count > 1, text.hasPrefix("0"), !text.hasPrefix("0x"), !text.hasPrefix("0X"),
           text.contains(where: { $0 == "8" || $0 == "9" }) {
            diagnostics.error("Numbers starting with leading zero must be in octal.", at: start)
        }
        return ProtoToken(kind: isFloat ? .float : .integer, text: text, position: start)
    }

    private mutating func string(quote: UInt8, at start: SourcePosition, diagnostics: inout DiagnosticSink) -> ProtoToken {
        advance()
        let begin = offset
        var value: [UInt8] = []
        while true {
            guard let byte = peek(), byte != UInt8(ascii: "\n") else {
                diagnostics.error("Unexpected end of string.", at: start)
                break
            }
            if byte == quote {
                let text = String(decoding: source[begin..<offset], as: UTF8.self)
                advance()
                return ProtoToken(kind: .string, text: text, bytes: value, position: start)
            }
            if byte == UInt8(ascii: "\\") {
                escape(into: &value, diagnostics: &diagnostics)
            } else {
                value.append(byte)
                advance()
            }
        }
        let text = String(decoding: source[begin..<offset], as: UTF8.self)
        return ProtoToken(kind: .string, text: text, bytes: value, position: start)
    }

    private mutating func escape(into value: inout [UInt8], diagnostics: inout DiagnosticSink) {
        let escapeStart = position
        advance()
        guard let byte = peek(), byte != UInt8(ascii: "\n") else {
            diagnostics.error("Invalid escape sequence in string literal.", at: escapeStart)
            return
        }
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "a"): 0x07, UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A,
            UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09, UInt8(ascii: "v"): 0x0B, UInt8(ascii: "\\"): 0x5C,
            UInt8(ascii: "?"): 0x3F, UInt8(ascii: "'"): 0x27, UInt8(ascii: "\""): 0x22,
        ]
        if let replacement = simple[byte] {
            advance()
            value.append(replacement)
        } else if byte.isOctalDigit {
            var code = 0
            for _ in 0..<3 {
                guard let digit = peek(), digit.isOctalDigit else { break }
                code = code * 8 + Int(digit - UInt8(ascii: "0"))
                advance()
            }
            value.append(UInt8(truncatingIfNeeded: code))
        } else if byte == UInt8(ascii: "x") || byte == UInt8(ascii: "X") {
            advance()
            var code = 0
            var digits = 0
            while digits < 2, let digit = peek(), let nibble = digit.hexValue {
                code = code * 16 + nibble
                digits += 1
                advance()
            }
            if digits == 0 { diagnostics.error("Expected hex digits for escape sequence.", at: escapeStart) }
            value.append(UInt8(code))
        } else if byte == UInt8(ascii: "u") || byte == UInt8(ascii: "U") {
            advance()
            let count = byte == UInt8(ascii: "u") ? 4 : 8
            var code: UInt32 = 0
            for _ in 0..<count {
                guard let digit = peek(), let nibble = digit.hexValue else {
                    diagnostics.error("Expected \(count) hex digits for Unicode escape sequence.", at: escapeStart)
                    return
                }
                code = code &* 16 &+ UInt32(nibble)
                advance()
            }
            guard let scalar = UnicodeScalar(code) else {
                diagnostics.error("Invalid Unicode code point in escape sequence.", at: escapeStart)
                return
            }
            value.append(contentsOf: Array(String(Character(scalar)).utf8))
        } else {
            diagnostics.error("Invalid escape sequence in string literal.", at: escapeStart)
            advance()
        }
    }
}

extension UInt8 {
    var isLetter: Bool { (self >= 0x41 && self <= 0x5A) || (self >= 0x61 && self <= 0x7A) }
    var isDigit: Bool { self >= 0x30 && self <= 0x39 }
    var isOctalDigit: Bool { self >= 0x30 && self <= 0x37 }
    var isHexDigit: Bool { hexValue != nil }

    var hexValue: Int? {
        switch self {
        case 0x30...0x39: Int(self - 0x30)
        case 0x41...0x46: Int(self - 0x41 + 10)
        case 0x61...0x66: Int(self - 0x61 + 10)
        default: nil
        }
    }
}
