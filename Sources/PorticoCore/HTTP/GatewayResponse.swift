import NIOCore
import NIOHTTP1

/// The answer to a client: status, headers and the whole body.
package struct GatewayResponse: Sendable {
    package var status: HTTPResponseStatus
    package var headers: HTTPHeaders
    package var body: ByteBuffer

    package init(status: HTTPResponseStatus, headers: HTTPHeaders = HTTPHeaders(), body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response with `content-type: application/json`.
    package static func json(_ status: HTTPResponseStatus, body: ByteBuffer) -> GatewayResponse {
        GatewayResponse(status: status, headers: ["content-type": "application/json"], body: body)
    }
}
