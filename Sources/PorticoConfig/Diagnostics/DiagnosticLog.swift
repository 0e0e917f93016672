/// Collects diagnostics while a file is read, so every problem is reported at once.
package final class DiagnosticLog {
    package private(set) var diagnostics: [ConfigDiagnostic] = []

    package init() {}

    package func report(_ message: String, at location: SourceLocation) {
        diagnostics.append(location.diagnostic(message))
    }

    package func append(_ diagnostic: ConfigDiagnostic) {
        diagnostics.append(diagnostic)
    }

    package var isEmpty: Bool { diagnostics.isEmpty }
}
