import NIOCore
import PorticoCodec
import PorticoConfig
import PorticoCore
import PorticoPolicies
import PorticoRouting
import PorticoSchema

/// Compiles the `composites:` of the mapping files into routes, checking every method, field path and value
/// type against the schema (`portico check` reports what is wrong, with the place it was written).
struct CompositePlanner {
    let configuration: GatewayConfiguration
    let schema: SchemaPool
    /// `nil` when the schema could not be compiled; the composites are then only partly checked.
    let transcoder: JSONTranscoder?
    let mappingsLabel: String

    /// The composite routes, and the problems found.
    func routes(problems: inout [String]) -> [Route<GatewayRoute>] {
        var servedBy: [String: Int] = [:]
        for (index, backend) in configuration.backends.enumerated() {
            for service in backend.services { servedBy[service.value] = index }
        }
        var routes: [Route<GatewayRoute>] = []
        for composite in configuration.composites {
            var found: [String] = []
            let route = self.route(composite, servedBy: servedBy, problems: &found)
            problems += found
            if found.isEmpty, let route { routes.append(route) }
        }
        return routes
    }

    private func route(_ composite: CompositeRouteConfiguration, servedBy: [String: Int], problems: inout [String]) -> Route<GatewayRoute>? {
        let template: PathTemplate
        do {
            template = try PathTemplate(composite.path.value)
        } catch {
            problems.append(located(composite.path.location, "\(error)"))
            return nil
        }
        let variables = Set(template.variables.map { $0.fieldPath.joined(separator: ".") })
        let names = composite.parts.map(\.name.value)
        var parts: [CompositePartPlan] = []
        var queryParameters: Set<String> = []
        for part in composite.parts {
            guard let plan = partPlan(
                part, in: composite, names: names, variables: variables, servedBy: servedBy, queryParameters: &queryParameters, problems: &problems
            ) else { continue }
            parts.append(plan)
        }
        guard parts.count == composite.parts.count else { return nil }
        checkOrder(parts, composite: composite, problems: &problems)
        let settings = configuration.settings
        let name = composite.name.value
        let selector = "composite.\(name)"
        let target = RouteTarget(selector: selector, grpcPath: "", inputType: "", outputType: "")
        var rateLimit: RouteRateLimit?
        let limitSetting: RateLimitSetting = composite.rateLimit ?? settings.policies.rateLimit
        if case .limit(let rule) = limitSetting {
            rateLimit = RouteRateLimit(rule: rule, name: name, scope: "route:\(selector)", plans: settings.rateLimits.plans)
        }
        let cors: CORSPolicy? = switch composite.cors {
        case .off?: nil
        case .policy(let policy)?: policy
        case nil: settings.cors
        }
        let value = GatewayRoute(
            target: target,
            backendIndex: -1,
            timeout: TimeAmount(composite.deadline),
            json: composite.json.map { $0.applied(to: settings.policies.json) } ?? settings.policies.json,
            exposeErrors: true,
            httpBody: HttpBodyMapping(target: target, schema: schema),
            versionPlans: [],
            ignoreUnknownQueryParameters: false,
            maxBodyBytes: settings.limits.maxBodyBytes,
            auth: composite.auth,
            rateLimit: rateLimit,
            idempotent: true,
            cors: cors,
            composite: CompositePlan(name: name, parts: parts, queryParameters: queryParameters)
        )
        return Route(method: "GET", template: template, origin: located(composite.path.location, nil), value: value)
    }

    private func partPlan(
        _ part: CompositePartConfiguration,
        in composite: CompositeRouteConfiguration,
        names: [String],
        variables: Set<String>,
        servedBy: [String: Int],
        queryParameters: inout Set<String>,
        problems: inout [String]
    ) -> CompositePartPlan? {
        let selector = part.method.value
        guard let (service, method) = schema.method(named: selector) else {
            problems.append(located(part.method.location, "method \(selector) is not in the schema"))
            return nil
        }
        let serviceName = service.fullName
        guard !method.clientStreaming, !method.serverStreaming else {
            problems.append(located(part.method.location, "\(selector) streams; a part calls unary methods only"))
            return nil
        }
        guard let backendIndex = servedBy[serviceName] else {
            problems.append(located(part.method.location, "no backend serves \(serviceName) (list it under a backend's services:)"))
            return nil
        }
        guard let transcoder, let requestMessage = schema.messages[method.inputType], let responseMessage = schema.messages[method.outputType] else {
            return nil
        }
        if let field = part.responseField, responseMessage.field(named: field.value) == nil {
            problems.append(located(field.location, "\(method.outputType) has no field \"\(field.value)\""))
            return nil
        }
        let request: JSONTranscoder.ResolvedMessage
        let responses: [JSONTranscoder.ResolvedMessage]
        do throws(GatewayError) {
            request = try transcoder.resolve(method.inputType)
            responses = try configuration.settings.versions.supported.map { version throws(GatewayError) in
                try transcoder.resolve(method.outputType, field: part.responseField?.value, apiVersion: version)
            }
        } catch {
            problems.append(located(part.method.location, error.cause ?? error.message))
            return nil
        }
        var bindings: [CompositeBinding] = []
        var dependencies: Set<Int> = []
        let count = problems.count
        for binding in part.bindings {
            guard let target = targetField(binding.field, in: requestMessage, request: request, problems: &problems),
                  let source = source(binding.value, part: part, composite: composite, names: names, variables: variables, problems: &problems)
            else { continue }
            switch source {
            case .query(let name):
                queryParameters.insert(name)
            case .answer(let index, let path):
                dependencies.insert(index)
                checkAnswerField(path, of: composite.parts[index], target: target.descriptor, at: binding.value, problems: &problems)
            case .pathVariable, .claim, .constant:
                break
            }
            bindings.append(CompositeBinding(field: binding.field.value, resolvedField: target.path, source: source))
        }
        for constant in part.constants {
            guard let target = targetField(constant.field, in: requestMessage, request: request, problems: &problems) else { continue }
            let binding = JSONTranscoder.FieldBinding(path: constant.field.value, value: constant.value.value, resolvedPath: target.path)
            do throws(GatewayError) {
                _ = try ThreadArena.withArena { arena throws(GatewayError) in
                    var output = ByteBuffer()
                    try transcoder.protobuf(fromJSON: ByteBuffer(), resolved: request, options: .init(), bindings: [binding], arena: arena, into: &output)
                }
            } catch {
                problems.append(located(constant.value.location, error.message))
                continue
            }
            bindings.append(CompositeBinding(field: constant.field.value, resolvedField: target.path, source: .constant(constant.value.value)))
        }
        guard problems.count == count else { return nil }
        return CompositePartPlan(
            name: part.name.value,
            selector: selector,
            grpcPath: "/\(serviceName)/\(method.name)",
            outputType: method.outputType,
            responseField: part.responseField?.value,
            backendIndex: backendIndex,
            request: request,
            responses: responses,
            bindings: bindings,
            required: part.required,
            timeout: TimeAmount(part.timeout ?? configuration.backends[backendIndex].timeout),
            idempotent: part.idempotent,
            exposeErrors: configuration.backends[backendIndex].policies.exposeErrors,
            dependencies: dependencies.sorted()
        )
    }

    /// A request field that can take one value: a scalar, an enum, a well-known type written as a string
    /// (Timestamp, Duration, wrappers), or a list of those.
    private func targetField(
        _ field: Located<String>,
        in message: MessageDescriptor,
        request: JSONTranscoder.ResolvedMessage,
        problems: inout [String]
    ) -> (path: JSONTranscoder.ResolvedFieldPath, descriptor: FieldDescriptor)? {
        guard let transcoder else { return nil }
        let resolved: JSONTranscoder.ResolvedFieldPath
        do throws(GatewayError) {
            resolved = try transcoder.resolveFieldPath(field.value.split(separator: ".", omittingEmptySubsequences: false).map(String.init), in: request)
        } catch {
            problems.append(located(field.location, "\(message.fullName): \(error.message)"))
            return nil
        }
        guard let descriptor = descriptor(resolved.protoNames, in: message) else { return nil }
        if descriptor.type == .message || descriptor.type == .group, !(descriptor.typeName ?? "").hasPrefix("google.protobuf.") {
            problems.append(located(field.location, "\(field.value) is a message (\(descriptor.typeName ?? "")); bind its fields one by one"))
            return nil
        }
        return (resolved, descriptor)
    }

    /// `path.<variable>`, `query.<name>`, `claims.<sub|client_id|plan>`, or `<part>.<field path>`.
    private func source(
        _ value: Located<String>,
        part: CompositePartConfiguration,
        composite: CompositeRouteConfiguration,
        names: [String],
        variables: Set<String>,
        problems: inout [String]
    ) -> CompositeBinding.Source? {
        let components = value.value.split(separator: ".", maxSplits: 1).map(String.init)
        guard components.count == 2, !components[1].isEmpty else {
            problems.append(located(value.location, "expected path.<variable>, query.<name>, claims.<claim> or <part>.<field>, got \"\(value.value)\""))
            return nil
        }
        let (kind, rest) = (components[0], components[1])
        switch kind {
        case "path":
            guard variables.contains(rest) else {
                let known = variables.sorted().joined(separator: ", ")
                problems.append(located(value.location, "the path template has no variable \"\(rest)\" (it has: \(known.isEmpty ? "none" : known))"))
                return nil
            }
            return .pathVariable(rest)
        case "query":
            return .query(rest)
        case "claims":
            guard let claim = CompositeClaim(rawValue: rest) else {
                let known = CompositeClaim.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append(located(value.location, "unknown claim \"\(rest)\" (expected one of: \(known))"))
                return nil
            }
            if composite.auth.mode == .none {
                problems.append(located(value.location, "claims need an authenticated caller, but the route has auth: none"))
                return nil
            }
            return .claim(claim)
        default:
            guard let index = names.firstIndex(of: kind) else {
                problems.append(located(value.location, "no part named \"\(kind)\" (parts: \(names.joined(separator: ", ")))"))
                return nil
            }
            if kind == part.name.value {
                problems.append(located(value.location, "part \"\(kind)\" cannot read its own answer"))
                return nil
            }
            return .answer(part: index, path: rest.split(separator: ".", omittingEmptySubsequences: false).map(String.init))
        }
    }

    /// The answer field must exist, hold one scalar value (or a list of them) and fit the request field.
    private func checkAnswerField(
        _ path: [String], of source: CompositePartConfiguration, target: FieldDescriptor, at location: Located<String>, problems: inout [String]
    ) {
        guard let method = schema.method(named: source.method.value)?.method, var message = schema.messages[method.outputType] else { return }
        for (step, name) in path.enumerated() {
            guard let field = message.field(named: name) else {
                problems.append(located(location.location, "\(message.fullName) has no field \"\(name)\" (proto names)"))
                return
            }
            if step < path.count - 1 {
                guard field.type == .message, !field.isRepeated, let next = field.typeName.flatMap({ schema.messages[$0] }) else {
                    problems.append(located(location.location, "\"\(name)\" is not a singular message field"))
                    return
                }
                message = next
                continue
            }
            if let problem = Self.fitProblem(source: field, target: target) {
                problems.append(located(location.location, problem))
            }
        }
    }

    /// Why an answer field cannot fill a request field, or `nil` when it can: the same scalar type (the same
    /// enum), or any scalar into a string; a list only into a list.
    static func fitProblem(source: FieldDescriptor, target: FieldDescriptor) -> String? {
        if source.type == .message || source.type == .group {
            return "\(source.name) is a message; bind one of its scalar fields"
        }
        if source.isRepeated, !target.isRepeated {
            return "\(source.name) is a list and \(target.name) holds one value"
        }
        if target.type == .string || source.type == target.type && source.typeName == target.typeName { return nil }
        let sourceType = source.type.keyword ?? source.typeName ?? "?"
        let targetType = target.type.keyword ?? target.typeName ?? "?"
        return "\(source.name) (\(sourceType)) cannot fill \(target.name) (\(targetType))"
    }

    /// Parts that read each other's answers in a circle never start; a required part must not wait for an
    /// optional one (its failure would fail the route for a part the route may do without).
    private func checkOrder(_ parts: [CompositePartPlan], composite: CompositeRouteConfiguration, problems: inout [String]) {
        var state = [Int](repeating: 0, count: parts.count)
        func visit(_ index: Int) -> Bool {
            if state[index] == 2 { return true }
            if state[index] == 1 { return false }
            state[index] = 1
            for dependency in parts[index].dependencies where !visit(dependency) { return false }
            state[index] = 2
            return true
        }
        for index in parts.indices where !visit(index) {
            problems.append(located(composite.parts[index].name.location, "part \"\(parts[index].name)\" reads answers in a cycle"))
            return
        }
        for (index, part) in parts.enumerated() where part.required {
            for dependency in part.dependencies where !parts[dependency].required {
                problems.append(located(
                    composite.parts[index].name.location,
                    "required part \"\(part.name)\" reads optional part \"\(parts[dependency].name)\"; make both required or both optional"
                ))
            }
        }
    }

    private func descriptor(_ protoNames: [String], in root: MessageDescriptor) -> FieldDescriptor? {
        var message = root
        for (step, name) in protoNames.enumerated() {
            guard let field = message.field(named: name) else { return nil }
            if step == protoNames.count - 1 { return field }
            guard let next = field.typeName.flatMap({ schema.messages[$0] }) else { return nil }
            message = next
        }
        return nil
    }

    private func located(_ location: SourceLocation, _ message: String?) -> String {
        location.described(message, mappingsLabel: mappingsLabel)
    }
}
