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

    func protobuf(for request: GatewayRequest, matched: MatchedRoute<GatewayRoute>) throws(Rejection) -> ByteBuffer {
        let route = matched.route.value
        let target = route.target
        guard request.body.readableBytes <= route.maxBodyBytes else {
            throw Rejection(
                GatewayError(code: .resourceExhausted, message: "the request body is larger than \(route.maxBodyBytes) bytes", source: .client),
                status: .payloadTooLarge
            )
        }
        var bindings = matched.bindings.map { JSONTranscoder.FieldBinding(path: $0.name, value: $0.value) }
        do {
            bindings += try queryBindings(matched, target: target, ignoreUnknown: route.ignoreUnknownQueryParameters)
        } catch {
            throw Rejection(error)
        }
        let options = JSONTranscoder.Options(
            ignoreUnknownFields: route.ignoreUnknownFields,
            apiVersion: version.name,
            maxDepth: snapshot.configuration.settings.limits.maxJSONDepth
        )
        let bodyField: String?
        var body = request.body
        switch target.body {
        case .none:
            body = ByteBuffer()
            bodyField = nil
        case .wholeMessage:
            try checkContentType(request.headers, hasBody: body.readableBytes > 0)
            bodyField = nil
        case .field(let name):
            try checkContentType(request.headers, hasBody: body.readableBytes > 0)
            bodyField = name
        }
        do {
            return try snapshot.transcoder.protobuf(
                fromJSON: body, message: target.inputType, bodyField: bodyField, options: options, bindings: bindings
            )
        } catch {
            throw Rejection(error)
        }
    }

    private func queryBindings(_ matched: MatchedRoute<GatewayRoute>, target: RouteTarget, ignoreUnknown: Bool) throws(GatewayError) -> [JSONTranscoder.FieldBinding] {
        guard let query = matched.query, !query.isEmpty else { return [] }
        let parameters = try BoundFields(route: matched.route).unboundParameters(try QueryStringParser.parse(query), policy: .reject)
        var bindings: [JSONTranscoder.FieldBinding] = []
        for parameter in parameters {
            let path = parameter.name
            guard snapshot.transcoder.hasField(path: path, message: target.inputType, apiVersion: version.name) else {
                if ignoreUnknown { continue }
                throw .invalidArgument("unknown query parameter \"\(Self.printable(path))\": \(target.inputType) has no such field")
            }
            bindings.append(JSONTranscoder.FieldBinding(path: path, value: parameter.value))
        }
        return bindings
    }

    /// A body must be JSON: `application/json` or any `+json` type; a request without a `content-type`
    /// is read as JSON too.
    private func checkContentType(_ headers: HTTPHeaders, hasBody: Bool) throws(Rejection) {
        guard hasBody, let value = headers.first(name: "content-type") else { return }
        let mediaType = String(value.prefix { $0 != ";" }.filter { $0 != " " && $0 != "\t" }).lowercased()
        guard mediaType == "application/json" || mediaType.hasSuffix("+json") else {
            throw Rejection(
                GatewayError(code: .invalidArgument, message: "the request body must be JSON (content-type: application/json)", source: .client),
                status: .unsupportedMediaType
            )
        }
    }

    /// Text from the request shown back in a message: short, printable ASCII only.
    static func printable(_ text: String) -> String {
        String(text.unicodeScalars.prefix(64).map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" ? Character($0) : "?" })
    }
}
