import NIOCore
import NIOHTTP1

/// A client's HTTP request as the stages see it: the head split into path and query, and the whole body (or,
/// for a client stream read as it arrives, the body's stream).
package struct GatewayRequest: Sendable {
    package var method: HTTPMethod
    /// The request target as sent (`/v1/orders/7?view=full`).
    package var uri: String
    package var headers: HTTPHeaders
    package var body: ByteBuffer
    /// The address of the peer that sent the request (a proxy's, when one is in front).
    package var remoteAddress: SocketAddress?
    /// Fired when the client goes away before its answer.
    package var cancellation: RequestCancellation
    /// The client certificate the HTTPS listener verified, by its identity (its common name, else its first
    /// DNS or URI name); `nil` without a verified certificate.
    package var clientCertificate: String?
    /// The body as it arrives, in place of ``body``, when the listener streams it (``GatewayResponder``'s
    /// `streamsBody(of:)`); `nil` when ``body`` is whole.
    package var bodyStream: RequestBodyStream?

    package init(
        method: HTTPMethod,
        uri: String,
        headers: HTTPHeaders,
        body: ByteBuffer,
        remoteAddress: SocketAddress? = nil,
        cancellation: RequestCancellation = RequestCancellation(),
        clientCertificate: String? = nil,
        bodyStream: RequestBodyStream? = nil
    ) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.cancellation = cancellation
        self.clientCertificate = clientCertificate
        self.bodyStream = bodyStream
    }

    /// The path part of ``uri``, still percent-encoded.
    package var path: Substring {
        uri.firstIndex(of: "?").map { uri[..<$0] } ?? uri[...]
    }

    /// The query part of ``uri`` without the `?`, or `nil` when there is none.
    package var query: Substring? {
        uri.firstIndex(of: "?").map { uri[uri.index(after: $0)...] }
    }
}
