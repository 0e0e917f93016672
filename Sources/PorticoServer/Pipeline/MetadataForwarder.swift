public import NIOHTTP1
public import PorticoConfig

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
    public func requestMetadata(from headers: HTTPHeaders, requestID: String) -> [(name: String, value: String)] {
        var metadata: [(name: String, value: String)] = [("x-request-id", requestID)]
        for name in requestHeaders {
            for value in headers[name] {
                metadata.append((name, value))
            }
        }
        return metadata
    }

    /// Adds the listed entries of a backend's metadata to a client response's headers.
    public func addResponseHeaders(from metadata: [(name: String, value: String)], to headers: inout HTTPHeaders) {
        for (name, value) in metadata where responseMetadata.contains(name) {
            headers.add(name: name, value: value)
        }
    }
}
