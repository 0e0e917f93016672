public import PorticoSchema

/// One `google.api.HttpRule` to compile: the method it applies to and where it was written.
public struct HttpRuleSource: Sendable, Hashable {
    /// The fully qualified method name (`demo.orders.v1.OrderService.GetOrder`).
    public var selector: String
    /// The rule, with its additional bindings.
    public var rule: HttpRule
    /// Where the rule was written (`Mappings/orders.yaml:12:7`, `demo/orders.proto`), for messages.
    public var origin: String

    /// Creates a source.
    public init(selector: String, rule: HttpRule, origin: String) {
        self.selector = selector
        self.rule = rule
        self.origin = origin
    }

    /// The `(google.api.http)` annotations of every method of a pool, ordered by service then method name;
    /// the origin of each is the file that declares the service.
    public static func annotations(in pool: SchemaPool) -> [HttpRuleSource] {
        pool.services.values.sorted { $0.fullName < $1.fullName }.flatMap { service in
            service.methods.compactMap { method -> HttpRuleSource? in
                guard let rule = method.httpRule else { return nil }
                return HttpRuleSource(selector: "\(service.fullName).\(method.name)", rule: rule, origin: service.file)
            }
        }
    }

    /// The rules in force: the configured rules (from mapping files), and the annotations of the methods no
    /// configured rule selects.
    ///
    /// As in Google's service configuration, a configured rule replaces the annotation of the same selector,
    /// and among configured rules for one selector the last one wins. Annotations come first, in their order,
    /// then the configured rules in theirs.
    public static func effectiveRules(annotations: [HttpRuleSource], configured: [HttpRuleSource]) -> [HttpRuleSource] {
        var lastIndex: [String: Int] = [:]
        for (index, source) in configured.enumerated() {
            lastIndex[source.selector] = index
        }
        let kept = annotations.filter { lastIndex[$0.selector] == nil }
        return kept + configured.enumerated().filter { lastIndex[$0.element.selector] == $0.offset }.map(\.element)
    }
}
