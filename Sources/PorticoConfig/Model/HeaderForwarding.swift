/// Which headers cross the gateway: client request headers sent to the backend as gRPC metadata, and
/// backend metadata (initial or trailing) returned to the client as response headers.
///
/// Nothing crosses unless it is listed (`x-request-id` always does, both ways). Hop-by-hop headers, HTTP/2
/// pseudo-headers and the headers gRPC itself owns can never be listed, so a mapping cannot break framing.
public struct HeaderForwarding: Sendable, Hashable {
    /// Lower-cased request header names forwarded to backends as metadata.
    public var requestHeaders: [String]
    /// Lower-cased metadata names returned to clients as response headers.
    public var responseMetadata: [String]

    public init(requestHeaders: [String] = [], responseMetadata: [String] = []) {
        self.requestHeaders = requestHeaders
        self.responseMetadata = responseMetadata
    }

    /// Why a header name cannot be forwarded, or `nil` when it can.
    public static func refusal(for name: String) -> String? {
        let lowered = name.lowercased()
        if lowered.isEmpty || !lowered.utf8.allSatisfy(isTokenByte) {
            return "\"\(name)\" is not a valid header name"
        }
        if hopByHop.contains(lowered) {
            return "\"\(lowered)\" is a hop-by-hop header and is never forwarded"
        }
        if lowered.hasPrefix("grpc-") || transportOwned.contains(lowered) {
            return "\"\(lowered)\" belongs to the HTTP/2 or gRPC framing and is never forwarded"
        }
        return nil
    }

    /// Connection-scoped headers of RFC 9110 §7.6.1 and their historic relatives.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "transfer-encoding", "upgrade", "http2-settings",
    ]

    /// Headers the gateway sets itself on each side.
    static let transportOwned: Set<String> = ["content-type", "content-length", "host", "user-agent", "x-request-id"]

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"),
             UInt8(ascii: "_"), UInt8(ascii: "."):
            true
        default:
            false
        }
    }
}
