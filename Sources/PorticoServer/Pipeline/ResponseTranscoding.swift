import NIOCore
import PorticoCore
import PorticoRouting

/// The response side's counterpart of ``RequestTranscoding``: writes a backend's reply for the client as the
/// route maps it, the raw `google.api.HttpBody` bytes with their content type, or JSON in the version's names
/// and the route's `json:` options.
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

    private static let json = "application/json"
    private static let octetStream = "application/octet-stream"
}
