import PorticoCore

/// The outcome of a gRPC call as the server states it: a code, a message and optional details.
///
/// `details` holds the raw bytes of `grpc-status-details-bin` (a serialized `google.rpc.Status`), already
/// decoded from base64; this module does not interpret them.
public struct GRPCStatus: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status code (`grpc-status`).
    public var code: GRPCStatusCode
    /// The status message (`grpc-message`, percent-decoded).
    public var message: String
    /// The raw bytes of `grpc-status-details-bin`, when sent.
    public var details: [UInt8]?

    /// A status with a code, a message and optional `grpc-status-details-bin` bytes.
    public init(code: GRPCStatusCode, message: String = "", details: [UInt8]? = nil) {
        self.code = code
        self.message = message
        self.details = details
    }

    /// `OK` with no message.
    public static let ok = GRPCStatus(code: .ok)

    /// `CODE: message`.
    public var description: String {
        message.isEmpty ? code.name : "\(code.name): \(message)"
    }
}
