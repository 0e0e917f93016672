public import PorticoCore

/// Why a gRPC call did not end with `OK`.
///
/// It is either a status the server sent (``Kind-swift.enum/status``) or one Portico derived from a
/// transport failure, a protocol violation, a deadline or a cancellation. ``isRetryable`` is `true` only
/// when the server certainly never processed the call (a refused stream, a stream above a GOAWAY's last
/// stream id, a connection that could not be made), so sending it again cannot duplicate work.
public struct GRPCCallError: Error, Sendable, CustomStringConvertible, GatewayErrorConvertible {
    /// Where the status came from.
    public enum Kind: Sendable, Hashable {
        /// The server answered with this status (in trailers or a trailers-only response).
        case status
        /// The connection or the HTTP/2 stream failed, or the response broke the gRPC protocol.
        case transport
        /// The call ended on this side: deadline, cancellation or a local limit.
        case local
    }

    /// The status the call ended with.
    public var status: GRPCStatus
    /// Where the status came from.
    public var kind: Kind
    /// The response trailers (or trailers-only headers) minus the reserved gRPC fields.
    public var trailers: GRPCMetadata
    /// `true` when the server never processed the call, so it is safe to send again.
    public var isRetryable: Bool
    /// The underlying cause, for the log only.
    public var cause: String?

    /// An error with a status, where it came from, and whether a retry is safe.
    public init(
        status: GRPCStatus,
        kind: Kind,
        trailers: GRPCMetadata = GRPCMetadata(),
        isRetryable: Bool = false,
        cause: String? = nil
    ) {
        self.status = status
        self.kind = kind
        self.trailers = trailers
        self.isRetryable = isRetryable
        self.cause = cause
    }

    /// The code of ``status``.
    public var code: GRPCStatusCode { status.code }

    /// The gateway-wide error for this failure: the backend's status message and details for server
    /// statuses, a generic message otherwise (the transport cause stays in ``GatewayError/cause`` for the log).
    /// A transport failure that is not the backend being unreachable, slow or cancelled means its answer was
    /// broken or cut off (a reset stream, a malformed or oversized message, missing or doubled trailers): it
    /// is answered 502 Bad Gateway (RFC 9110 §15.6.3) whatever its gRPC code, so no client reads it as its own
    /// fault or as a reason to slow down.
    public var gatewayError: GatewayError {
        switch kind {
        case .status:
            GatewayError(
                code: status.code, message: status.message, source: .upstream, isRetryable: isRetryable, cause: cause,
                statusDetails: status.details
            )
        case .transport:
            GatewayError(
                code: status.code,
                message: "upstream \(status.code.name.lowercased().split(separator: "_").joined(separator: " "))",
                source: .upstream,
                isRetryable: isRetryable,
                cause: cause ?? status.message,
                httpStatus: [.unavailable, .deadlineExceeded, .cancelled].contains(status.code) ? nil : 502
            )
        case .local:
            GatewayError(code: status.code, message: status.message, source: .gateway, isRetryable: isRetryable, cause: cause)
        }
    }

    /// The status, whether it may be retried, and the cause.
    public var description: String {
        "\(status)" + (isRetryable ? " (retryable)" : "") + (cause.map { " [\($0)]" } ?? "")
    }

    static func unavailable(_ message: String, retryable: Bool, cause: String? = nil) -> GRPCCallError {
        GRPCCallError(status: GRPCStatus(code: .unavailable, message: message), kind: .transport, isRetryable: retryable, cause: cause)
    }

    static func protocolViolation(_ code: GRPCStatusCode, _ message: String) -> GRPCCallError {
        GRPCCallError(status: GRPCStatus(code: code, message: message), kind: .transport)
    }

    static func local(_ code: GRPCStatusCode, _ message: String) -> GRPCCallError {
        GRPCCallError(status: GRPCStatus(code: code, message: message), kind: .local)
    }
}
