/// Every problem that kept the configuration from compiling, one line each, in the form `portico check`
/// prints: `Mappings/orders.yaml:12:7: http.rules[0].body: …`.
package struct GatewayCompileError: Error, Sendable, CustomStringConvertible {
    package var problems: [String]

    package init(problems: [String]) {
        self.problems = problems
    }

    package var description: String { problems.joined(separator: "\n") }
}
