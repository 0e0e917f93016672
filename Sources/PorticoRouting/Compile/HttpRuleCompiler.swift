public import PorticoSchema

/// Compiles HttpRules into a ``RouteTable`` of ``RouteTarget``s, checked against the schema.
///
/// For each rule and each of its `additional_bindings` (one level deep, as the spec allows):
/// - the selector names a method of the schema;
/// - the rule has a pattern; a `custom` kind is an HTTP method token or `*`;
/// - the path template is valid (``PathTemplate``);
/// - every path variable names a field of the request message through singular message fields and ends at
///   a singular scalar, enum or wrapper field;
/// - `body` is empty, `*`, or a top-level field of the request message; `response_body` is empty or a
///   top-level field of the response message;
/// - no two routes have the same method, verb and template shape.
/// Every problem of every rule is reported, not only the first.
public enum HttpRuleCompiler {
    /// Compiles rules into a route table, in the order given.
    ///
    /// - Throws: ``RouteCompileError`` with every problem found, conflicts included.
    public static func compile(_ sources: [HttpRuleSource], schema: SchemaPool) throws(RouteCompileError) -> RouteTable<RouteTarget> {
        var routes: [Route<RouteTarget>] = []
        var diagnostics: [RouteDiagnostic] = []
        for source in sources {
            let compiled = self.routes(for: source, schema: schema)
            routes += compiled.routes
            diagnostics += compiled.diagnostics
        }
        do {
            let table = try RouteTable(routes)
            if diagnostics.isEmpty { return table }
        } catch {
            diagnostics += error.conflicts.map { conflict in
                let route = routes[conflict.secondRoute]
                return RouteDiagnostic(origin: route.origin, selector: route.value.selector, message: conflict.message)
            }
        }
        throw RouteCompileError(diagnostics: diagnostics)
    }

    /// The routes of one rule and its additional bindings, and the problems of those that could not be built.
    public static func routes(
        for source: HttpRuleSource,
        schema: SchemaPool
    ) -> (routes: [Route<RouteTarget>], diagnostics: [RouteDiagnostic]) {
        func diagnostic(_ message: String) -> RouteDiagnostic {
            RouteDiagnostic(origin: source.origin, selector: source.selector, message: message)
        }
        let method: ServiceDescriptor.Method
        let service: ServiceDescriptor
        switch resolveMethod(source.selector, in: schema) {
        case .success(let found): (service, method) = found
        case .failure(let error): return ([], [diagnostic(error.message)])
        }
        let target = RouteTarget(
            selector: "\(service.fullName).\(method.name)",
            grpcPath: service.path(of: method),
            inputType: method.inputType,
            outputType: method.outputType,
            clientStreaming: method.clientStreaming,
            serverStreaming: method.serverStreaming)
        let resolver = FieldPathResolver(schema: schema)
        var routes: [Route<RouteTarget>] = []
        var diagnostics: [RouteDiagnostic] = []
        let rules = [(source.rule, "", source.origin)] + source.rule.additionalBindings.enumerated().map {
            ($0.element, "additional_bindings[\($0.offset)]: ", "\(source.origin) additional_bindings[\($0.offset)]")
        }
        for (index, (rule, prefix, origin)) in rules.enumerated() {
            if index > 0, !rule.additionalBindings.isEmpty {
                diagnostics.append(diagnostic(prefix + "an additional binding cannot have additional_bindings of its own"))
            }
            switch route(for: rule, target: target, origin: origin, resolver: resolver) {
            case .success(let route): routes.append(route)
            case .failure(let failure): diagnostics += failure.errors.map { diagnostic(prefix + $0.message) }
            }
        }
        return (routes, diagnostics)
    }

    private static func route(
        for rule: HttpRule,
        target: RouteTarget,
        origin: String,
        resolver: FieldPathResolver
    ) -> Result<Route<RouteTarget>, RuleErrors> {
        guard let pattern = rule.pattern else {
            return .failure(RuleErrors([RuleError("the rule has no pattern (get, put, post, delete, patch or custom)")]))
        }
        var errors: [RuleError] = []
        if case .custom(let kind, _) = pattern, !isMethodToken(kind) {
            errors.append(RuleError("custom kind \"\(kind)\" is not an HTTP method (a token such as HEAD, or *)"))
        }
        var template: PathTemplate?
        do {
            template = try PathTemplate(pattern.path)
        } catch {
            errors.append(RuleError(error.description))
        }
        var fieldPaths: [[String]] = []
        for variable in template?.variables ?? [] {
            switch resolver.resolvePathVariable(variable.fieldPath, in: target.inputType) {
            case .success(let path): fieldPaths.append(path)
            case .failure(let error): errors.append(error)
            }
        }
        var compiled = target
        switch rule.body {
        case "": compiled.body = .none
        case "*": compiled.body = .wholeMessage
        default:
            switch resolver.resolveTopLevelField(rule.body, role: "body", in: target.inputType) {
            case .success(let name): compiled.body = .field(name)
            case .failure(let error): errors.append(error)
            }
        }
        if !rule.responseBody.isEmpty {
            switch resolver.resolveTopLevelField(rule.responseBody, role: "response_body", in: target.outputType) {
            case .success(let name): compiled.responseBody = name
            case .failure(let error): errors.append(error)
            }
        }
        guard errors.isEmpty, let template else { return .failure(RuleErrors(errors)) }
        let bodyText = switch compiled.body {
        case .none: ""
        case .wholeMessage: "*"
        case .field(let name): name
        }
        return .success(Route(
            method: pattern.method,
            template: template.renamingVariables(fieldPaths),
            body: bodyText,
            responseBody: compiled.responseBody ?? "",
            origin: origin,
            value: compiled))
    }

    private static func resolveMethod(
        _ selector: String,
        in schema: SchemaPool
    ) -> Result<(ServiceDescriptor, ServiceDescriptor.Method), RuleError> {
        if let found = schema.method(named: selector) { return .success(found) }
        guard !selector.isEmpty else { return .failure(RuleError("the rule names no method (the selector is empty)")) }
        guard let dot = selector.lastIndex(of: "."), dot != selector.startIndex else {
            return .failure(RuleError("\"\(selector)\" is not a full method name (package.Service.Method)"))
        }
        let serviceName = String(selector[..<dot])
        let methodName = String(selector[selector.index(after: dot)...])
        guard schema.services[serviceName] != nil else {
            return .failure(RuleError("unknown method: the schema has no service \"\(serviceName)\""))
        }
        return .failure(RuleError("unknown method: service \(serviceName) has no method \"\(methodName)\""))
    }

    /// Whether a custom kind is an RFC 9110 token (which includes `*`, the any-method wildcard).
    private static func isMethodToken(_ kind: String) -> Bool {
        !kind.isEmpty && kind.utf8.allSatisfy { byte in
            ASCII.isIdentifierCharacter(byte) || "!#$%&'*+-.^`|~".utf8.contains(byte)
        }
    }
}

/// The problems of one rule.
struct RuleErrors: Error {
    var errors: [RuleError]

    init(_ errors: [RuleError]) {
        self.errors = errors
    }
}
