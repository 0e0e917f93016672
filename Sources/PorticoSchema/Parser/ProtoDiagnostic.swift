/// A position in a schema file: 1-based line and column (columns count UTF-8 bytes, as `protoc` does).
public struct SourcePosition: Sendable, Hashable {
    public var line: Int
    public var column: Int

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

    public var severity: Severity
    /// The file's import path (`demo/orders/v1/orders.proto`).
    public var file: String
    public var position: SourcePosition
    public var message: String

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
    public var warnings: [ProtoDiagnostic]

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
