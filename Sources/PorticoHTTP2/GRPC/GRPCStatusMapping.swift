import PorticoCore

/// How transport-level outcomes become gRPC codes, as the gRPC spec's tables say.
///
/// `fromHTTPStatus` follows "HTTP to gRPC Status Code Mapping" (doc/http-grpc-status-mapping.md), used when
/// a response has a non-200 `:status` and no `grpc-status`. `fromResetCode` follows "Errors" in
/// doc/PROTOCOL-HTTP2.md for a stream reset before a status arrived.
enum GRPCStatusMapping {
    /// The code for a non-200 HTTP status.
    static func fromHTTPStatus(_ status: Int) -> GRPCStatusCode {
        switch status {
        case 400: .internal
        case 401: .unauthenticated
        case 403: .permissionDenied
        case 404: .unimplemented
        case 429, 502, 503, 504: .unavailable
        default: .unknown
        }
    }

    /// The code for an RST_STREAM or GOAWAY error code received before any status.
    static func fromResetCode(_ errorCode: UInt32) -> GRPCStatusCode {
        switch errorCode {
        case NGHTTP2Session.ErrorCode.refusedStream: .unavailable
        case NGHTTP2Session.ErrorCode.cancel: .cancelled
        case NGHTTP2Session.ErrorCode.enhanceYourCalm: .resourceExhausted
        case NGHTTP2Session.ErrorCode.inadequateSecurity: .permissionDenied
        default: .internal
        }
    }
}
