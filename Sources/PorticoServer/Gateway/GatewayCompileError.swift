/// Every problem that kept the configuration from compiling, one line each, in the form `portico check`
/// prints: `Mappings/orders.yaml:12:7: http.rules[0].body: …`.
public struct GatewayCompileError: Error, Sendable, CustomStringConvertible {
    public var problems: [String]

    public init(problems: [String]) {
        self.problems = problems
    }

    public var description: String { problems.joined(separator: "\n") }
}
