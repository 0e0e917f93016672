import NIOCore
import NIOHTTP1
import PorticoCodec
import PorticoCore

/// The body of every error answer: `google.rpc.Status` as JSON, `{"code":5,"message":"…","details":[…]}`.
///
/// When the error carries a backend's `grpc-status-details-bin`, that `google.rpc.Status` is transcoded as it is, so its
/// `details` reach the client with their types resolved in the schema (the `google.rpc` error details are
/// always there). When the details cannot be decoded, the body carries the code and message alone.
enum ErrorBody {
    static func render(_ error: GatewayError, transcoder: JSONTranscoder) -> ByteBuffer {
        if let details = error.statusDetails, !details.isEmpty,
           let body = try? transcoder.json(fromProtobuf: ByteBuffer(bytes: details), message: "google.rpc.Status"),
           body.readableBytes > 2 {
            return body
        }
        return plain(error)
    }

    /// `{"code":…,"message":"…"}` for errors with no details.
    static func plain(_ error: GatewayError) -> ByteBuffer {
        var object = JSONObjectBuilder()
        object.add("code", error.code.rawValue)
        object.add("message", error.message)
        return ByteBuffer(bytes: object.finish())
    }

    /// The listener's own answer for `error` (a request body it could not decode): its status and headers, and
    /// the ``plain(_:)`` body.
    static func response(_ error: GatewayError) -> GatewayResponse {
        GatewayResponse(
            status: HTTPResponseStatus(statusCode: error.httpStatus),
            headers: HTTPHeaders(error.headers + [("content-type", "application/json")]),
            body: plain(error)
        )
    }
}
