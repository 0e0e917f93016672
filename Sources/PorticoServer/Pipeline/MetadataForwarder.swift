import NIOHTTP1
import PorticoConfig
import PorticoHTTP2

/// Moves headers across the gateway by allow-list: client headers to backend metadata, and backend
/// metadata (initial or trailing) to client response headers.
///
/// Built once from ``HeaderForwarding`` and the `auth:` settings. The request id always crosses; nothing
/// else does unless listed, and the configuration loader has already refused hop-by-hop, framing and
/// `grpc-*` names. The names `auth.forward` fills from verified claims are never taken from the client,
/// even when listed, and `Authorization` crosses only with `auth.jwt.forward_authorization` (or when listed).
package struct MetadataForwarder: Sendable {
    private let requestHeaders: [String]
    private let responseMetadata: Set<String>

    package init(policy: HeaderForwarding, auth: AuthSettings = AuthSettings()) {
        let claimHeaders = auth.forwardedHeaderNames
        var names = policy.requestHeaders.filter { !claimHeaders.contains($0) }
        if auth.jwt?.forwardAuthorization == true, !names.contains("authorization") {
            names.append("authorization")
        }
        requestHeaders = names
        responseMetadata = Set(policy.responseMetadata)
    }

    /// The metadata to send with a backend call: the request id, every listed header the client sent (each
    /// value in the order received), then the metadata the caller's verified credential carries.
    package func requestMetadata(from headers: HTTPHeaders, requestID: String, claims: [(name: String, value: String)] = []) -> GRPCMetadata {
        var metadata = GRPCMetadata()
        metadata.add("x-request-id", requestID)
        for name in requestHeaders {
            for value in headers[name] {
                metadata.add(name, value)
            }
        }
        for claim in claims {
            metadata.add(claim.name, claim.value)
        }
        return metadata
    }

    /// Adds the listed entries of a backend's metadata to a client response's headers; binary values as
    /// base64, as they travel in HTTP/2.
    package func addResponseHeaders(from metadata: GRPCMetadata, to headers: inout HTTPHeaders) {
        guard !responseMetadata.isEmpty else { return }
        for entry in metadata where responseMetadata.contains(entry.name) {
            switch entry.value {
            case .text(let text): headers.add(name: entry.name, value: text)
            case .binary(let bytes): headers.add(name: entry.name, value: Base64.encode(bytes))
            }
        }
    }
}
