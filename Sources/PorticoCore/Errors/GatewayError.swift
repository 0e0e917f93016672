/// The one error type that crosses Portico's stages, and the one the client's answer is made from.
///
/// It carries the gRPC code, a message that is safe to show a client, the side that caused it, whether a
/// retry may help, the HTTP status when the status table's is not the right one (405, 413, 415, 499), the
/// headers the answer needs (`Allow`, `Retry-After`, `WWW-Authenticate`), and the backend's
/// `google.rpc.Status` details. The underlying cause is kept for the log and is never rendered. Failures of
/// the other modules (authentication, the codec, a backend call) become one through
/// ``GatewayErrorConvertible``.
public struct GatewayError: Error, Sendable, CustomStringConvertible {
    /// Which side of the gateway caused the error.
    public enum Source: String, Sendable {
        /// The client sent something wrong.
        case client
        /// The backend failed or answered with an error.
        case upstream
        /// The gateway itself failed.
        case gateway
    }

    public var code: GRPCStatusCode
    /// A message safe to send to the client: it never contains internal details.
    public var message: String
    public var source: Source
    /// Whether sending the same request again may succeed.
    public var isRetryable: Bool
    /// The underlying cause, for the log only.
    public var cause: String?
    /// The HTTP status of the answer when it is not the status table's for ``code``.
    public var httpStatusOverride: Int?
    /// Headers the answer carries.
    public var headers: [(String, String)]
    /// A `google.rpc.Status` (a backend's `grpc-status-details-bin`) whose details the answer shows.
    public var statusDetails: [UInt8]?

    public init(
        code: GRPCStatusCode,
        message: String,
        source: Source,
        isRetryable: Bool = false,
        cause: String? = nil,
        httpStatus: Int? = nil,
        headers: [(String, String)] = [],
        statusDetails: [UInt8]? = nil
    ) {
        self.code = code
        self.message = message
        self.source = source
        self.isRetryable = isRetryable
        self.cause = cause
        self.httpStatusOverride = httpStatus
        self.headers = headers
        self.statusDetails = statusDetails
    }

    /// The error's own HTTP status, else the one the ``StatusTable`` gives ``code``.
    public var httpStatus: Int { httpStatusOverride ?? StatusTable.httpStatus(for: code) }

    public var description: String {
        "\(code.name) (\(source.rawValue)): \(message)" + (cause.map { " [cause: \($0)]" } ?? "")
    }
}

extension GatewayError {
    /// A client error with `INVALID_ARGUMENT`.
    public static func invalidArgument(_ message: String) -> GatewayError {
        GatewayError(code: .invalidArgument, message: message, source: .client)
    }

    /// A gateway-side failure with `INTERNAL` and a generic client message.
    public static func internalError(cause: String) -> GatewayError {
        GatewayError(code: .internal, message: "internal error", source: .gateway, cause: cause)
    }

    /// Any failure as the gateway's error: its own form when it has one, otherwise an internal error that
    /// keeps the failure for the log only.
    public init(_ failure: any Error) {
        self = (failure as? any GatewayErrorConvertible)?.gatewayError ?? .internalError(cause: "\(failure)")
    }
}

/// A failure that knows how it is answered: each module's error adopts it, so the pipeline turns any
/// failure into a ``GatewayError`` in one way.
public protocol GatewayErrorConvertible: Error {
    /// The error as the client's answer is made from it.
    var gatewayError: GatewayError { get }
}

extension GatewayError: GatewayErrorConvertible {
    public var gatewayError: GatewayError { self }
}
