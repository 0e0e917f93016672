/// A position in a schema file: 1-based line and column (columns count UTF-8 bytes, as `protoc` does).
public struct SourcePosition: Sendable, Hashable {
    /// The line, from 1.
    public var line: Int
    /// The column, from 1, in UTF-8 bytes (a tab counts as one).
    public var column: Int

    /// A position from its 1-based line and column.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// One error or warning found while loading schema files, with the place it refers to.
public struct ProtoDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// Whether the diagnostic stops the load.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    /// Whether the diagnostic is an error or a warning.
    public var severity: Severity
    /// The file's import path (`demo/orders/v1/orders.proto`).
    public var file: String
    /// Where in the file the problem is.
    public var position: SourcePosition
    /// What is wrong, in protoc's words where protoc reports the same problem.
    public var message: String

    /// A diagnostic about `file` at `position`.
    public init(severity: Severity, file: String, position: SourcePosition, message: String) {
        self.severity = severity
        self.file = file
        self.position = position
        self.message = message
    }

    /// `file:line:column: message`, the form compilers print.
    public var description: String {
        let prefix = severity == .warning ? "warning: " : ""
        return "\(file):\(position.line):\(position.column): \(prefix)\(message)"
    }
}

/// The failure of a schema load: every error found, in file order, plus the warnings.
public struct ProtoLoadError: Error, Sendable, CustomStringConvertible {
    /// Every error, never empty.
    public var errors: [ProtoDiagnostic]
    /// The warnings found on the way (ignored `extend` blocks, a missing `syntax`).
    public var warnings: [ProtoDiagnostic]

    /// A failure carrying every error and warning of a load.
    public init(errors: [ProtoDiagnostic], warnings: [ProtoDiagnostic] = []) {
        self.errors = errors
        self.warnings = warnings
    }

    /// One diagnostic per line.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}

/// Collects the diagnostics of one file as the lexer, parser and resolver find them.
struct DiagnosticSink {
    let file: String
    private(set) var diagnostics: [ProtoDiagnostic] = []

    init(file: String) {
        self.file = file
    }

    mutating func error(_ message: String, at position: SourcePosition) {
        diagnostics.append(ProtoDiagnostic(severity: .error, file: file, position: position, message: message))
    }

    mutating func warning(_ message: String, at position: SourcePosition) {
        diagnostics.append(ProtoDiagnostic(severity: .warning, file: file, position: position, message: message))
    }
}
