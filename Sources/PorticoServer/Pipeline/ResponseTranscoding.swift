import NIOCore
import PorticoCore
import PorticoRouting

/// The response side's counterpart of ``RequestTranscoding``: writes a backend's reply for the client as the
/// route maps it, the raw `google.api.HttpBody` bytes with their content type, or JSON in the version's names
/// and the route's `json:` options (a server stream as a JSON array).
struct ResponseTranscoding {
    let snapshot: GatewaySnapshot
    let version: APIVersion?

    /// The body and content type of a unary reply.
    ///
    /// - Throws: `INTERNAL` (source upstream) when the reply is not a valid message or cannot be written.
    func answer(for reply: ByteBuffer, route: GatewayRoute) throws(GatewayError) -> (body: ByteBuffer, contentType: String) {
        if route.httpBody.response {
            let raw = try HttpBodyTranscoding(descriptors: snapshot.descriptors)
                .decode(reply, message: route.target.outputType, responseField: route.target.responseBody)
            return (raw.data, raw.contentType ?? Self.octetStream)
        }
        return (try route.responseJSON(reply, version: version, transcoder: snapshot.transcoder), Self.json)
    }

    /// The body and content type of a finished server stream.
    ///
    /// - Throws: as ``answer(for:route:)`` for any of its messages.
    func answer(for stream: UpstreamStream.Collected, route: GatewayRoute) throws(GatewayError) -> (body: ByteBuffer, contentType: String) {
        if route.httpBody.response {
            let raw = try stream.rawBody(HttpBodyTranscoding(descriptors: snapshot.descriptors), route: route)
            return (raw.data, raw.contentType ?? Self.octetStream)
        }
        return (try stream.jsonArray(transcoder: snapshot.transcoder, route: route, version: version), Self.json)
    }

    private static let json = "application/json"
    private static let octetStream = "application/octet-stream"
}
