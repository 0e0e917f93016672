public import NIOHTTP1
public import PorticoConfig
public import PorticoHTTP2

/// Moves headers across the gateway by allow-list: client headers to backend metadata, and backend
/// metadata (initial or trailing) to client response headers.
///
/// Built once from ``HeaderForwarding``. The request id always crosses; nothing else does unless listed,
/// and the configuration loader has already refused hop-by-hop, framing and `grpc-*` names.
public struct MetadataForwarder: Sendable {
    private let requestHeaders: [String]
    private let responseMetadata: Set<String>

    public init(policy: HeaderForwarding) {
        requestHeaders = policy.requestHeaders
        responseMetadata = Set(policy.responseMetadata)
    }

    /// The metadata to send with a backend call: the request id, then every listed header the client sent,
    /// each value in the order received.
    public func requestMetadata(from headers: HTTPHeaders, requestID: String) -> GRPCMetadata {
        var metadata = GRPCMetadata()
        metadata.add("x-request-id", requestID)
        for name in requestHeaders {
            for value in headers[name] {
                metadata.add(name, value)
            }
        }
        return metadata
    }

    /// Adds the listed entries of a backend's metadata to a client response's headers; binary values as
    /// base64, as they travel in HTTP/2.
    public func addResponseHeaders(from metadata: GRPCMetadata, to headers: inout HTTPHeaders) {
        guard !responseMetadata.isEmpty else { return }
        for entry in metadata where responseMetadata.contains(entry.name) {
            switch entry.value {
            case .text(let text): headers.add(name: entry.name, value: text)
            case .binary(let bytes): headers.add(name: entry.name, value: Base64.encode(bytes))
            }
        }
    }
}
