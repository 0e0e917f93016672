import PorticoCodec
import PorticoCore

/// What a public client sees of a backend's error status.
///
/// A backend's message for `INTERNAL`, `UNKNOWN` and `DATA_LOSS` is often a stack trace, a query or a
/// connection string; its `google.rpc.DebugInfo` details are meant for developers. Unless the backend's
/// mapping sets `expose_errors: true`, the client gets a generic message that names the request id instead
/// (the original stays in the access log), and the status details without any `DebugInfo`. Other codes keep
/// the backend's message: it is the API's answer (`NOT_FOUND: order 7 does not exist`).
struct UpstreamErrorExposure {
    /// The codes whose backend message is replaced.
    static let hiddenMessageCodes: Set<GRPCStatusCode> = [.internal, .unknown, .dataLoss]
    static let debugInfoTypeURL = "type.googleapis.com/google.rpc.DebugInfo"

    /// Whether the backend's own messages and debug details go to clients.
    let exposes: Bool
    let requestID: String

    /// `error` as the client may see it; the backend's message moves to ``GatewayError/cause``.
    func clientError(_ error: GatewayError) -> GatewayError {
        guard !exposes, error.source == .upstream, Self.hiddenMessageCodes.contains(error.code) else { return error }
        var safe = error
        safe.message = genericMessage(for: error.code)
        safe.cause = [error.message, error.cause].compactMap(\.self).joined(separator: "; ")
        return safe
    }

    /// The backend's `grpc-status-details-bin` (`google.rpc.Status`) with the client's message and without
    /// `DebugInfo` details; `nil` when the details cannot be read (the client then gets code and message).
    func clientDetails(_ details: [UInt8], error: GatewayError, codec: MessageCodec) -> [UInt8]? {
        guard !exposes else { return details }
        guard var status = try? codec.decode(details, as: "google.rpc.Status") else { return nil }
        status.fields["message"] = .string(error.message)
        if case .list(let entries)? = status["details"] {
            status.fields["details"] = .list(entries.filter { entry in
                guard case .message(let any) = entry, case .string(let typeURL)? = any["type_url"] else { return true }
                return typeURL != Self.debugInfoTypeURL
            })
        }
        return try? codec.encode(status)
    }

    private func genericMessage(for code: GRPCStatusCode) -> String {
        let what = code == .dataLoss ? "lost data" : "failed"
        return "the backend \(what) while handling this request (request id \(requestID))"
    }
}
