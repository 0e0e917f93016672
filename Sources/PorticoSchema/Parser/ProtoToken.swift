/// One token of `.proto` (or protobuf text-format) source.
struct ProtoToken: Sendable, Hashable {
    /// The lexical class of a token.
    enum Kind: Sendable, Hashable {
        case identifier
        /// An integer literal: decimal, `0x` hexadecimal or `0` octal, without sign.
        case integer
        /// A floating-point literal such as `1.5`, `.5`, `1e10`, without sign.
        case float
        /// A quoted string; ``ProtoToken/bytes`` holds its value after escapes.
        case string
        /// One punctuation character (`{`, `=`, `;`, `-`, …).
        case symbol
        case endOfFile
    }

    var kind: Kind
    /// The source text (for strings, the text between the quotes before unescaping).
    var text: String
    /// The unescaped value of a string literal.
    var bytes: [UInt8]
    var position: SourcePosition
    /// The comment directly above the token (no blank line between), as protoc's "leading comments": the
    /// text of its `//` lines or `/* */` block, markers removed.
    var leadingComment: String?

    init(kind: Kind, text: String, bytes: [UInt8] = [], position: SourcePosition) {
        self.kind = kind
        self.text = text
        self.bytes = bytes
        self.position = position
    }

    func isSymbol(_ symbol: String) -> Bool {
        kind == .symbol && text == symbol
    }

    func isIdentifier(_ word: String) -> Bool {
        kind == .identifier && text == word
    }

    /// How the token reads in an error message: `"foo"`, or `end of input`.
    var quoted: String {
        kind == .endOfFile ? "end of input" : "\"\(text)\""
    }
}
