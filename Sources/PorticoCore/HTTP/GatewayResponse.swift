public import NIOCore
public import NIOHTTP1

/// The answer to a client: status, headers and the whole body.
public struct GatewayResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: ByteBuffer

    public init(status: HTTPResponseStatus, headers: HTTPHeaders = HTTPHeaders(), body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response with `content-type: application/json`.
    public static func json(_ status: HTTPResponseStatus, body: ByteBuffer) -> GatewayResponse {
        GatewayResponse(status: status, headers: ["content-type": "application/json"], body: body)
    }
}
