import NIOCore
import NIOHTTP1

/// The answer to a client: status, headers, and the whole body or a body written as it is produced.
package struct GatewayResponse: Sendable {
    package var status: HTTPResponseStatus
    package var headers: HTTPHeaders
    package var body: ByteBuffer
    /// A body written after the head as it is produced, in place of ``body``; `nil` for a whole body.
    package var stream: (any ResponseBodySource)?

    package init(status: HTTPResponseStatus, headers: HTTPHeaders = HTTPHeaders(), body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
        stream = nil
    }

    /// A response whose body `stream` writes after the head.
    package init(status: HTTPResponseStatus, headers: HTTPHeaders, stream: any ResponseBodySource) {
        self.status = status
        self.headers = headers
        body = ByteBuffer()
        self.stream = stream
    }

    /// A JSON response with `content-type: application/json`.
    package static func json(_ status: HTTPResponseStatus, body: ByteBuffer) -> GatewayResponse {
        GatewayResponse(status: status, headers: ["content-type": "application/json"], body: body)
    }
}
