/// The one error type that crosses Portico's stages.
///
/// It carries the gRPC code, a message that is safe to show a client, the side that caused it and
/// whether a retry may help. The underlying cause is kept for the log and is never rendered.
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

    public init(
        code: GRPCStatusCode,
        message: String,
        source: Source,
        isRetryable: Bool = false,
        cause: String? = nil
    ) {
        self.code = code
        self.message = message
        self.source = source
        self.isRetryable = isRetryable
        self.cause = cause
    }

    /// The HTTP status for ``code`` from the ``StatusTable``.
    public var httpStatus: Int { StatusTable.httpStatus(for: code) }

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
}
