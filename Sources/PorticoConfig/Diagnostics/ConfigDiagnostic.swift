/// One problem found in a mapping file, with where it is.
///
/// Its description is `file:line:column: key.path: message`, the form `portico check` prints.
public struct ConfigDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// The file, as given to the loader (usually relative to the mappings folder).
    public var file: String
    /// The 1-based line, or 0 when the problem concerns the file as a whole.
    public var line: Int
    public var column: Int
    /// The dotted key path (`http.rules[2].body`), empty for the document itself.
    public var keyPath: String
    public var message: String

    public init(file: String, line: Int, column: Int, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        let position = line > 0 ? "\(file):\(line):\(column)" : file
        return keyPath.isEmpty ? "\(position): \(message)" : "\(position): \(keyPath): \(message)"
    }
}

/// Every problem found while loading or compiling the configuration; nothing was loaded.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// The problems in file and line order.
    public var diagnostics: [ConfigDiagnostic]

    public init(diagnostics: [ConfigDiagnostic]) {
        self.diagnostics = diagnostics.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) }
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
