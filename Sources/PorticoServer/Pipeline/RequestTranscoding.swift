import PorticoConfig
import NIOCore
import NIOHTTP1
import PorticoCodec
import PorticoCore
import PorticoRouting

/// Builds the backend request message from an HTTP request the way the matched HttpRule binds it: the
/// JSON body (the whole message or one field), the path variables, then the query parameters.
///
/// Query parameters must name fields of the request message (proto or JSON names, dotted for nested
/// fields) that neither the path nor the body binds; anything else is answered 400, unless the route
/// ignores unknown query parameters.
struct RequestTranscoding {
    let snapshot: GatewaySnapshot
    let version: APIVersion

    func protobuf(for request: GatewayRequest, matched: MatchedRoute<GatewayRoute>) throws(GatewayError) -> ByteBuffer {
        let route = matched.route.value
        let target = route.target
        try checkSize(request, route: route)
        let plan = try route.plan(for: version)
        let bindings = try self.bindings(matched, plan: plan)
        var body = request.body
        switch (target.body, route.httpBody.request) {
        case (_, .wholeMessage?):
            return try rawBody(request)
        case (_, .field?), (.none, _):
            body = ByteBuffer()
        case (.wholeMessage, nil), (.field, nil):
            try checkContentType(request.headers, hasBody: body.readableBytes > 0)
        }
        var message = try transcode(body, plan: plan, route: route, bindings: bindings)
        if case .field(let number)? = route.httpBody.request {
            HttpBodyTranscoding.append(field: number, value: try rawBody(request), to: &message)
        }
        return message
    }

    /// The messages of a client-streaming request (`body: "*"`): each NDJSON line (`application/x-ndjson`) or
    /// element of a JSON array is one whole request message, with the path variables and query parameters
    /// set in every one. An error names its piece: `line 3: …` or `[2]: …`.
    func messages(for request: GatewayRequest, matched: MatchedRoute<GatewayRoute>) throws(GatewayError) -> [ByteBuffer] {
        let route = matched.route.value
        try checkSize(request, route: route)
        let plan = try route.plan(for: version)
        let bindings = try self.bindings(matched, plan: plan)
        let ndjson = ClientStreamBody.isNDJSON(request.headers)
        if !ndjson { try checkContentType(request.headers, hasBody: request.body.readableBytes > 0) }
        var messages: [ByteBuffer] = []
        for piece in try ClientStreamBody.pieces(of: request.body, ndjson: ndjson) {
            do throws(GatewayError) {
                messages.append(try transcode(piece.json, plan: plan, route: route, bindings: bindings))
            } catch {
                var located = error
                located.message = "\(piece.position): \(error.message)"
                throw located
            }
        }
        return messages
    }

    /// How one client message's JSON becomes a request message on a streaming route whose messages arrive one by
    /// one (a WebSocket's frames): the whole message, with the path variables and query parameters set.
    func pieceEncoder(
        for request: GatewayRequest, matched: MatchedRoute<GatewayRoute>
    ) throws(GatewayError) -> (ByteBuffer) throws(GatewayError) -> ByteBuffer {
        let route = matched.route.value
        let plan = try route.plan(for: version)
        let bindings = try self.bindings(matched, plan: plan)
        return { json throws(GatewayError) in try self.transcode(json, plan: plan, route: route, bindings: bindings) }
    }

    private func checkSize(_ request: GatewayRequest, route: GatewayRoute) throws(GatewayError) {
        guard request.body.readableBytes <= route.maxBodyBytes else {
            throw GatewayError(
                code: .resourceExhausted, message: "the request body is larger than \(route.maxBodyBytes) bytes", source: .client,
                httpStatus: 413
            )
        }
    }

    /// The path variables and query parameters as bindings.
    private func bindings(_ matched: MatchedRoute<GatewayRoute>, plan: RouteVersionPlan) throws(GatewayError) -> [JSONTranscoder.FieldBinding] {
        let route = matched.route.value
        var bindings: [JSONTranscoder.FieldBinding] = []
        bindings.reserveCapacity(matched.bindings.count)
        for (position, binding) in matched.bindings.enumerated() {
            let resolved = plan.pathVariables.indices.contains(position) ? plan.pathVariables[position] : nil
            bindings.append(JSONTranscoder.FieldBinding(path: binding.name, value: binding.value, isPathVariable: true, resolvedPath: resolved))
        }
        bindings += try queryBindings(matched, request: plan.request, target: route.target, ignoreUnknown: route.ignoreUnknownQueryParameters)
        return bindings
    }

    /// One JSON body (or none) with the bindings as the request message.
    private func transcode(
        _ body: ByteBuffer, plan: RouteVersionPlan, route: GatewayRoute, bindings: [JSONTranscoder.FieldBinding]
    ) throws(GatewayError) -> ByteBuffer {
        let options = route.jsonOptions(version: version, maxDepth: snapshot.configuration.settings.limits.maxJSONDepth)
        return try ThreadArena.withArena { arena throws(GatewayError) in
            var output = ByteBuffer()
            try snapshot.transcoder.protobuf(
                fromJSON: body, resolved: plan.request, options: options, bindings: bindings, arena: arena, into: &output
            )
            return output
        }
    }

    /// The request body as a `google.api.HttpBody`, with its `Content-Type`.
    private func rawBody(_ request: GatewayRequest) throws(GatewayError) -> ByteBuffer {
        try HttpBodyTranscoding(descriptors: snapshot.descriptors).encode(request.body, contentType: request.headers.first(name: "content-type"))
    }

    /// The query parameters as bindings. Each is resolved to its field's proto names before it is checked
    /// against the path and body fields, so no spelling of a path-bound field (proto, JSON, or a version's
    /// rename) gets past the check.
    private func queryBindings(
        _ matched: MatchedRoute<GatewayRoute>,
        request: JSONTranscoder.ResolvedMessage,
        target: RouteTarget,
        ignoreUnknown: Bool
    ) throws(GatewayError) -> [JSONTranscoder.FieldBinding] {
        guard let query = matched.query, !query.isEmpty else { return [] }
        let bound = BoundFields(route: matched.route)
        var bindings: [JSONTranscoder.FieldBinding] = []
        for parameter in try QueryStringParser.parse(query) {
            let path = parameter.name
            let resolved: JSONTranscoder.ResolvedFieldPath
            do {
                resolved = try snapshot.transcoder.resolveFieldPath(parameter.fieldPath, in: request)
            } catch {
                if ignoreUnknown { continue }
                throw .invalidArgument("unknown query parameter \"\(Self.printable(path))\": \(target.inputType) has no such field")
            }
            try bound.checkFree(resolved.protoNames, parameter: Self.printable(path))
            bindings.append(JSONTranscoder.FieldBinding(path: path, value: parameter.value, resolvedPath: resolved))
        }
        return bindings
    }

    /// A body must be JSON: `application/json` or any `+json` type; a request without a `content-type`
    /// is read as JSON too.
    private func checkContentType(_ headers: HTTPHeaders, hasBody: Bool) throws(GatewayError) {
        guard hasBody, let value = headers.first(name: "content-type") else { return }
        let mediaType = Self.mediaType(value)
        guard mediaType == "application/json" || mediaType.hasSuffix("+json") else {
            throw GatewayError(
                code: .invalidArgument, message: "the request body must be JSON (content-type: application/json)", source: .client,
                httpStatus: 415
            )
        }
    }

    /// A `Content-Type`'s media type, lower case, without parameters or spaces.
    static func mediaType(_ value: String) -> String {
        String(value.prefix { $0 != ";" }.filter { $0 != " " && $0 != "\t" }).lowercased()
    }

    /// Text from the request shown back in a message: short, printable ASCII only.
    static func printable(_ text: String) -> String {
        String(text.unicodeScalars.prefix(64).map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" ? Character($0) : "?" })
    }
}
