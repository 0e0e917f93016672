/// One problem found while compiling HttpRules against the schema.
///
/// Its description is `origin: selector: message`, the form `portico check` prints.
public struct RouteDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// Where the rule was written.
    public var origin: String
    /// The method the rule applies to.
    public var selector: String
    /// What is wrong and what to change.
    public var message: String

    /// Creates a diagnostic.
    public init(origin: String, selector: String, message: String) {
        self.origin = origin
        self.selector = selector
        self.message = message
    }

    public var description: String {
        [origin, selector, message].filter { !$0.isEmpty }.joined(separator: ": ")
    }
}

/// Every problem found while compiling routes; no table was built.
public struct RouteCompileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems in the order of the rules.
    public var diagnostics: [RouteDiagnostic]

    /// Creates the error.
    public init(diagnostics: [RouteDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
