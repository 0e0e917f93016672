import NIOCore
import NIOHTTP1

/// The fixed `google.rpc.Status` bodies the listener answers with before any stage runs.
enum ListenerErrorBodies {
    static func response(
        _ status: HTTPResponseStatus,
        code: Int,
        message: StaticString
    ) -> (head: HTTPResponseHead, body: ByteBuffer) {
        var body = ByteBuffer()
        body.writeStaticString("{\"code\":")
        body.writeString(String(code))
        body.writeStaticString(",\"message\":\"")
        body.writeStaticString(message)
        body.writeStaticString("\",\"details\":[]}")
        let headers: HTTPHeaders = [
            "content-type": "application/json",
            "content-length": String(body.readableBytes),
            "connection": "close",
        ]
        return (HTTPResponseHead(version: .http1_1, status: status, headers: headers), body)
    }
}
