import PorticoCore
import PorticoRouting

/// A simplified outcome of a match, comparable in table-driven tests: the matched route's `METHOD template`
/// and its bindings as `field.path=value`.
enum Outcome: Equatable, CustomStringConvertible {
    case matched(String, [String])
    case methodNotAllowed([String])
    case notFound
    case invalidPath(String)

    var description: String {
        switch self {
        case .matched(let route, let bindings): "matched \(route) \(bindings)"
        case .methodNotAllowed(let allowed): "405 \(allowed)"
        case .notFound: "404"
        case .invalidPath(let message): "400 \(message)"
        }
    }
}

/// Builds route tables whose values are `METHOD template`, and reduces matches to ``Outcome``s.
enum RouteTableHarness {
    /// A table from `(method, template)` pairs.
    static func table(_ entries: [(String, String)]) throws -> RouteTable<String> {
        try RouteTable(entries.map { method, template in
            Route(method: method, template: try PathTemplate(template), value: "\(method) \(template)")
        })
    }

    /// A table of GET routes.
    static func getTable(_ templates: [String]) throws -> RouteTable<String> {
        try table(templates.map { ("GET", $0) })
    }

    static func outcome(_ table: RouteTable<String>, _ method: String, _ target: String) -> Outcome {
        switch table.match(method: method, path: target) {
        case .matched(let matched): .matched(matched.route.value, matched.bindings.map(\.description))
        case .methodNotAllowed(let allowed): .methodNotAllowed(allowed)
        case .notFound: .notFound
        case .invalidPath(let error): .invalidPath(error.message)
        }
    }

    /// Shorthand for a matched GET route.
    static func get(_ template: String, _ bindings: String...) -> Outcome {
        .matched("GET \(template)", bindings)
    }
}
