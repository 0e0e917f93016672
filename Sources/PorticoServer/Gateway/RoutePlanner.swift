import NIOCore
import PorticoCodec
import PorticoConfig
import PorticoCore
import PorticoPolicies
import PorticoRouting
import PorticoSchema

/// Decides which HttpRules become routes, to which backend, with which options, and compiles them.
///
/// A backend's routes are the `google.api.http` annotations of the services it lists under
/// `backend.services`, plus the rules of its mapping file; a mapping rule replaces the annotation of the
/// same selector. A mapping rule for a method of a service that another backend serves is an error, and so
/// is a `routes:` entry whose selector matches none of the backend's routed methods, and an HTTP binding of a
/// client-streaming or bidirectional method (it cannot be served as one request and one answer).
struct RoutePlanner {
    let configuration: GatewayConfiguration
    let schema: SchemaPool
    /// Resolves each route's messages per API version; `nil` when the schema could not be compiled (the
    /// routes are then only checked).
    let transcoder: JSONTranscoder?
    /// How files are named in messages: `Mappings/orders.yaml`, `Protos/demo/orders/v1/orders.proto`.
    let mappingsLabel: String
    let protosLabel: String

    func plan() -> (table: RouteTable<GatewayRoute>?, problems: [String]) {
        var problems: [String] = []
        var routes: [Route<GatewayRoute>] = []
        let overridden = Set(configuration.backends.flatMap { $0.rules.map(\.value.selector) })
        var servedBy: [String: String] = [:]
        for backend in configuration.backends {
            for service in backend.services { servedBy[service.value] = backend.name }
        }
        for (index, backend) in configuration.backends.enumerated() {
            var sources: [HttpRuleSource] = []
            for service in backend.services {
                guard let descriptor = schema.services[service.value] else {
                    problems.append(located(service.location, "service \(service.value) is not in the schema (\(protosLabel))"))
                    continue
                }
                for method in descriptor.methods {
                    let selector = "\(descriptor.fullName).\(method.name)"
                    guard let rule = method.httpRule, !overridden.contains(selector) else { continue }
                    sources.append(HttpRuleSource(selector: selector, rule: rule, origin: "\(protosLabel)/\(descriptor.file)"))
                }
            }
            for rule in backend.rules {
                let selector = rule.value.selector
                let service = selector.split(separator: ".").dropLast().joined(separator: ".")
                if let owner = servedBy[service], owner != backend.name {
                    problems.append(located(rule.location, "\(selector) belongs to service \(service), which backend \"\(owner)\" serves"))
                    continue
                }
                sources.append(HttpRuleSource(selector: selector, rule: rule.value, origin: located(rule.location, nil)))
            }
            var routedSelectors: Set<String> = []
            for source in sources {
                let compiled = HttpRuleCompiler.routes(for: source, schema: schema)
                problems += compiled.diagnostics.map(\.description)
                if let route = compiled.routes.first(where: { $0.value.clientStreaming && $0.value.body != .wholeMessage }) {
                    problems.append(
                        "\(source.origin): \(source.selector) is \(route.value.serverStreaming ? "bidirectional" : "client")-streaming: "
                            + "its routes need body: \"*\" (each NDJSON line or JSON array element of the body is one message)"
                    )
                    continue
                }
                for route in compiled.routes {
                    routedSelectors.insert(route.value.selector)
                    routes.append(Route(
                        method: route.method, template: route.template, body: route.body,
                        responseBody: route.responseBody, origin: route.origin,
                        value: gatewayRoute(
                            route.value, method: route.method, pathVariables: route.template.variables.map(\.fieldPath),
                            backend: backend, index: index, problems: &problems
                        )
                    ))
                }
            }
            for options in backend.routeOptions where !routedSelectors.contains(where: options.applies(to:)) {
                problems.append(located(options.location, "selector \(options.selector) matches no routed method of backend \"\(backend.name)\""))
            }
        }
        routes += CompositePlanner(configuration: configuration, schema: schema, transcoder: transcoder, mappingsLabel: mappingsLabel)
            .routes(problems: &problems)
        do {
            return (try RouteTable(routes), problems)
        } catch {
            return (nil, problems + error.conflicts.map(\.message))
        }
    }

    private func gatewayRoute(
        _ target: RouteTarget,
        method: String,
        pathVariables: [[String]],
        backend: BackendConfiguration,
        index: Int,
        problems: inout [String]
    ) -> GatewayRoute {
        let exact = backend.routeOptions.last { $0.selector == target.selector }
        let wildcard = backend.routeOptions.last { $0.selector != target.selector && $0.applies(to: target.selector) }
        let limits = configuration.settings.limits
        let httpBody = HttpBodyMapping(target: target, schema: schema)
        let idempotent = exact?.idempotent ?? wildcard?.idempotent ?? (method == "GET")
        var cache: CacheRule?
        let cacheOptions = exact?.cache != nil ? exact : wildcard
        if let cacheOptions, case .rule(let rule)? = cacheOptions.cache {
            if target.serverStreaming || target.clientStreaming {
                problems.append(located(
                    cacheOptions.location, "\(target.selector): cache cannot hold a streaming method's answer"
                ))
            } else if idempotent {
                cache = rule
            } else {
                problems.append(located(
                    cacheOptions.location, "\(target.selector): cache needs a GET route or idempotent: true (a cached answer stands in for a call)"
                ))
            }
        }
        return GatewayRoute(
            target: target,
            backendIndex: index,
            timeout: TimeAmount(exact?.timeout ?? wildcard?.timeout ?? backend.timeout),
            json: json(backend: backend, wildcard: wildcard, exact: exact),
            exposeErrors: backend.policies.exposeErrors,
            httpBody: httpBody,
            versionPlans: versionPlans(target, pathVariables: pathVariables, httpBody: httpBody, problems: &problems),
            ignoreUnknownQueryParameters: exact?.ignoreUnknownQueryParameters ?? wildcard?.ignoreUnknownQueryParameters ?? false,
            maxBodyBytes: min(limits.maxBodyBytes, exact?.maxBodyBytes ?? wildcard?.maxBodyBytes ?? limits.maxBodyBytes),
            auth: AuthRequirement(
                mode: exact?.auth ?? wildcard?.auth ?? backend.policies.auth.mode,
                scopes: exact?.scopes ?? wildcard?.scopes ?? backend.policies.auth.scopes,
                roles: exact?.roles ?? wildcard?.roles ?? backend.policies.auth.roles
            ),
            rateLimit: rateLimit(target, backend: backend, options: exact?.rateLimit != nil ? exact : wildcard),
            idempotent: idempotent,
            cors: cors(exact?.cors ?? wildcard?.cors),
            cache: cache,
            stream: exact?.stream ?? wildcard?.stream ?? StreamSettings()
        )
    }

    /// A route's `cors:` over the gateway's.
    private func cors(_ setting: CORSSetting?) -> CORSPolicy? {
        switch setting {
        case .off?: nil
        case .policy(let policy)?: policy
        case nil: configuration.settings.cors
        }
    }

    /// The route's messages in every supported API version, in ``VersionPolicy/supported`` order (the
    /// order of ``APIVersion/index``).
    private func versionPlans(
        _ target: RouteTarget, pathVariables: [[String]], httpBody: HttpBodyMapping, problems: inout [String]
    ) -> [RouteVersionPlan] {
        guard let transcoder else { return [] }
        let bodyField: String? = if case .field(let name) = target.body, httpBody.request == nil { name } else { nil }
        do throws(GatewayError) {
            return try configuration.settings.versions.supported.map { version throws(GatewayError) in
                let request = try transcoder.resolve(target.inputType, field: bodyField, apiVersion: version)
                return RouteVersionPlan(
                    request: request,
                    response: try transcoder.resolve(target.outputType, field: target.responseBody, apiVersion: version),
                    pathVariables: try pathVariables.map { names throws(GatewayError) in try transcoder.resolveFieldPath(names, in: request) }
                )
            }
        } catch {
            problems.append("\(target.selector): \(error.cause ?? error.message)")
            return []
        }
    }

    /// The backend's `json:` keys, then the wildcard route's, then the exact route's; a route's
    /// `ignore_unknown_fields` last.
    private func json(backend: BackendConfiguration, wildcard: RouteOptions?, exact: RouteOptions?) -> JSONSettings {
        var settings = backend.policies.json
        for options in [wildcard, exact].compactMap(\.self) {
            if let overrides = options.json { settings = overrides.applied(to: settings) }
        }
        if let ignore = exact?.ignoreUnknownFields ?? wildcard?.ignoreUnknownFields { settings.ignoreUnknownFields = ignore }
        return settings
    }

    /// The route's own limit (one bucket per route), else its backend's (one bucket shared by its routes).
    private func rateLimit(_ target: RouteTarget, backend: BackendConfiguration, options: RouteOptions?) -> RouteRateLimit? {
        let plans = configuration.settings.rateLimits.plans
        switch options?.rateLimit {
        case .off:
            return nil
        case .limit(let rule):
            let name = String(target.selector.split(separator: ".").last ?? "")
            return RouteRateLimit(rule: rule, name: name, scope: "route:\(target.selector)", plans: plans)
        case nil:
            guard case .limit(let rule) = backend.policies.rateLimit else { return nil }
            return RouteRateLimit(rule: rule, name: backend.name, scope: "backend:\(backend.name)", plans: plans)
        }
    }

    private func located(_ location: SourceLocation, _ message: String?) -> String {
        location.described(message, mappingsLabel: mappingsLabel)
    }
}
