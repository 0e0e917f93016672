import Foundation
import PorticoCodec
import PorticoConfig
import PorticoRouting
import PorticoSchema

/// The OpenAPI 3.1 description of the public API in one API version, made from the compiled routes and the
/// schemas: a path per HttpRule template, its path and query parameters and body, the messages in the
/// version's JSON names and proto3 JSON forms, errors as `google.rpc.Status`, and the security schemes of
/// `auth:`. `portico openapi` prints it; the admin listener serves it at `/openapi/{version}.json`.
struct OpenAPIGenerator {
    let snapshot: GatewaySnapshot

    /// The document for `version` (the default version when `nil`); `nil` for a version the gateway does not
    /// serve.
    func document(version: String?) -> [String: Any]? {
        let policy = snapshot.configuration.settings.versions
        let version = version ?? policy.defaultVersion
        guard policy.supported.contains(version) else { return nil }
        var schemas = OpenAPISchemas(schema: snapshot.schema, names: snapshot.transcoder.names, version: version)
        var paths: [String: [String: Any]] = [:]
        var operationIDs: [String: Int] = [:]
        for route in snapshot.routes.routes where route.method != "*" {
            let method = route.method.lowercased()
            guard Self.methods.contains(method) else { continue }
            let path = Self.path(route.template.text)
            var operation = self.operation(route, version: version, schemas: &schemas)
            let selector = route.value.target.selector
            let seen = operationIDs[selector, default: 0]
            operationIDs[selector] = seen + 1
            operation["operationId"] = seen == 0 ? selector : "\(selector)_\(seen + 1)"
            paths[path, default: [:]][method] = operation
        }
        var components: [String: Any] = ["schemas": schemas.components]
        let schemes = securitySchemes()
        if !schemes.isEmpty { components["securitySchemes"] = schemes }
        var info: [String: Any] = [
            "title": "Portico gateway API",
            "version": version,
            "description": "The public REST/JSON API in version \(version) (request header \(policy.header): \(version)).",
        ]
        if let deprecation = policy.deprecated[version] { info["description"] = "\(info["description"]!) Deprecated; sunset \(deprecation.sunset)." }
        return ["openapi": "3.1.0", "info": info, "paths": paths, "components": components]
    }

    /// The document as pretty-printed JSON with sorted keys.
    func json(version: String?) -> [UInt8]? {
        guard let document = document(version: version),
              let data = try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return nil }
        return Array(data) + [UInt8(ascii: "\n")]
    }

    private static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    /// `/v1/{name=shelves/*}/books:list` → `/v1/{name}/books:list`.
    static func path(_ template: String) -> String {
        var result = ""
        var inVariable = false
        var skipping = false
        for character in template {
            switch character {
            case "{": inVariable = true; skipping = false; result.append(character)
            case "}": inVariable = false; skipping = false; result.append(character)
            case "=" where inVariable: skipping = true
            default: if !skipping { result.append(character) }
            }
        }
        return result
    }

    private func operation(_ route: Route<GatewayRoute>, version: String, schemas: inout OpenAPISchemas) -> [String: Any] {
        if let plan = route.value.composite { return compositeOperation(route, plan: plan, version: version, schemas: &schemas) }
        let target = route.value.target
        let serviceName = target.selector.split(separator: ".").dropLast().joined(separator: ".")
        var operation: [String: Any] = ["tags": [serviceName], "summary": "\(target.selector)"]
        if let method = snapshot.schema.method(named: target.selector)?.method {
            if let documentation = method.documentation { operation["description"] = documentation }
            if method.isDeprecated { operation["deprecated"] = true }
        }
        var parameters: [[String: Any]] = route.template.variables.map { variable in
            var parameter: [String: Any] = [
                "name": variable.fieldPath.joined(separator: "."), "in": "path", "required": true, "schema": ["type": "string"],
            ]
            if variable.isMultiSegment { parameter["description"] = "May hold several path segments (slashes)." }
            return parameter
        }
        parameters.append(versionHeader(version))
        let request = snapshot.schema.messages[target.inputType]
        if let request, target.body != .wholeMessage {
            let bound = Set(route.template.variables.map { $0.fieldPath.joined(separator: ".") })
            var bodyField: String?
            if case .field(let name) = target.body { bodyField = name }
            parameters += queryParameters(request, prefixProto: [], prefixJSON: [], bound: bound, body: bodyField, depth: 0, schemas: &schemas)
        }
        operation["parameters"] = parameters
        if let body = requestBody(route, request: request, schemas: &schemas) { operation["requestBody"] = body }
        operation["responses"] = [
            "200": ["description": "OK", "content": responseContent(route, schemas: &schemas)],
            "default": [
                "description": "An error, as google.rpc.Status.",
                "content": ["application/json": ["schema": schemas.reference(to: "google.rpc.Status")]],
            ],
        ]
        let security = self.security(route.value.auth.mode)
        operation["security"] = security
        return operation
    }

    /// A composite route: its path and query parameters, and an object with each part's answer under its
    /// name (optional parts may be `null`) and the `errors` of the parts that failed.
    private func compositeOperation(
        _ route: Route<GatewayRoute>, plan: CompositePlan, version: String, schemas: inout OpenAPISchemas
    ) -> [String: Any] {
        var parameters: [[String: Any]] = route.template.variables.map { variable in
            ["name": variable.fieldPath.joined(separator: "."), "in": "path", "required": true, "schema": ["type": "string"]]
        }
        parameters += plan.queryParameters.sorted().map { ["name": $0, "in": "query", "required": false, "schema": ["type": "string"]] }
        parameters.append(versionHeader(version))
        var properties: [String: Any] = [:]
        for part in plan.parts {
            var schema = schemas.reference(to: part.outputType)
            if let name = part.responseField, let field = snapshot.schema.messages[part.outputType]?.fields.first(where: { $0.name == name }) {
                schema = schemas.fieldSchema(field)
            }
            properties[part.name] = part.required ? schema : ["oneOf": [schema, ["type": "null"]]]
        }
        properties["errors"] = [
            "type": "array",
            "description": "The optional parts that failed or missed the deadline (their value is null), each with its status.",
            "items": [
                "type": "object", "required": ["part", "status"],
                "properties": ["part": ["type": "string"], "status": schemas.reference(to: "google.rpc.Status")],
            ],
        ]
        let summary = plan.parts.map { "\($0.name) (\($0.selector))" }.joined(separator: ", ")
        return [
            "tags": ["composite"],
            "summary": "Composite route \(plan.name)",
            "description": "Answered from several backend calls: \(summary).",
            "parameters": parameters,
            "responses": [
                "200": ["description": "OK", "content": ["application/json": ["schema": [
                    "type": "object", "properties": properties, "required": plan.parts.filter(\.required).map(\.name),
                ]]]],
                "default": [
                    "description": "An error, as google.rpc.Status (a required part's failure).",
                    "content": ["application/json": ["schema": schemas.reference(to: "google.rpc.Status")]],
                ],
            ],
            "security": security(route.value.auth.mode),
        ]
    }

    /// The API-version header, required outside the default version.
    private func versionHeader(_ version: String) -> [String: Any] {
        let policy = snapshot.configuration.settings.versions
        return [
            "name": policy.header, "in": "header", "required": version != policy.defaultVersion,
            "schema": ["type": "string", "const": version],
        ]
    }

    /// The request message's fields that are neither bound by the path nor in the body, as query parameters
    /// named by their JSON field paths; messages are flattened (not repeated ones, nor past three levels).
    private func queryParameters(
        _ message: MessageDescriptor, prefixProto: [String], prefixJSON: [String], bound: Set<String>, body: String?, depth: Int,
        schemas: inout OpenAPISchemas
    ) -> [[String: Any]] {
        var parameters: [[String: Any]] = []
        for (field, jsonName) in zip(message.fields, schemas.jsonNames(of: message)) {
            let protoPath = prefixProto + [field.name]
            let dotted = protoPath.joined(separator: ".")
            guard !bound.contains(dotted), dotted != body else { continue }
            if field.type == .message, let typeName = field.typeName, OpenAPISchemas.wellKnown(typeName) == nil {
                guard !field.isRepeated, depth < 3, let nested = snapshot.schema.messages[typeName], !nested.isMapEntry else { continue }
                parameters += queryParameters(
                    nested, prefixProto: protoPath, prefixJSON: prefixJSON + [jsonName], bound: bound, body: body, depth: depth + 1, schemas: &schemas
                )
                continue
            }
            parameters.append([
                "name": (prefixJSON + [jsonName]).joined(separator: "."), "in": "query", "required": false,
                "schema": schemas.fieldSchema(field),
            ])
        }
        return parameters
    }

    /// The request body's schema; a client stream's is an array of messages (or one) as JSON, and each
    /// line's message as NDJSON.
    private func requestBody(_ route: Route<GatewayRoute>, request: MessageDescriptor?, schemas: inout OpenAPISchemas) -> [String: Any]? {
        let target = route.value.target
        if route.value.httpBody.request != nil {
            return ["required": true, "content": ["*/*": ["schema": ["type": "string", "contentMediaType": "application/octet-stream"]]]]
        }
        let schema: [String: Any]
        switch target.body {
        case .none: return nil
        case .wholeMessage: schema = schemas.reference(to: target.inputType)
        case .field(let name):
            guard let field = request?.fields.first(where: { $0.name == name }) else { return nil }
            schema = schemas.fieldSchema(field)
        }
        guard target.clientStreaming else { return ["required": true, "content": ["application/json": ["schema": schema]]] }
        return [
            "required": true,
            "content": [
                "application/json": ["schema": ["oneOf": [["type": "array", "items": schema], schema]]],
                "application/x-ndjson": ["schema": schema],
            ],
        ]
    }

    /// The answer's schema; a server stream's is an array as JSON, each line's message as NDJSON, and text
    /// as Server-Sent Events.
    private func responseContent(_ route: Route<GatewayRoute>, schemas: inout OpenAPISchemas) -> [String: Any] {
        let target = route.value.target
        if route.value.httpBody.response {
            return ["*/*": ["schema": ["type": "string", "contentMediaType": "application/octet-stream"]]]
        }
        var schema = schemas.reference(to: target.outputType)
        if let name = target.responseBody, !name.isEmpty,
           let field = snapshot.schema.messages[target.outputType]?.fields.first(where: { $0.name == name }) {
            schema = schemas.fieldSchema(field)
        }
        guard target.serverStreaming else { return ["application/json": ["schema": schema]] }
        return [
            "application/json": ["schema": ["type": "array", "items": schema]],
            "application/x-ndjson": ["schema": schema],
            "text/event-stream": ["schema": ["type": "string"]],
        ]
    }

    private func security(_ mode: AuthMode) -> [[String: [String]]] {
        switch mode {
        case .none: []
        case .jwt: [["bearerAuth": []]]
        case .apiKey: [["apiKeyAuth": []]]
        case .any: [["bearerAuth": []], ["apiKeyAuth": []]]
        case .mtls: [["mutualTLS": []]]
        }
    }

    private func securitySchemes() -> [String: Any] {
        let auth = snapshot.configuration.settings.auth
        var schemes: [String: Any] = [:]
        if auth.jwt != nil { schemes["bearerAuth"] = ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"] }
        if snapshot.configuration.settings.tls?.clientCA != nil {
            schemes["mutualTLS"] = ["type": "mutualTLS", "description": "A client certificate signed by one of the gateway's client CAs."]
        }
        if let keys = auth.apiKeys {
            schemes["apiKeyAuth"] = keys.header.map { ["type": "apiKey", "in": "header", "name": $0] }
                ?? ["type": "apiKey", "in": "query", "name": keys.query ?? "api_key"]
        }
        return schemes
    }
}

/// The OpenAPI documents of a snapshot, for the command and the admin listener.
package enum OpenAPIDocument {
    /// The document for `version` (the default when `nil`) as JSON; `nil` for a version not served.
    package static func json(snapshot: GatewaySnapshot, version: String?) -> [UInt8]? {
        OpenAPIGenerator(snapshot: snapshot).json(version: version)
    }
}
