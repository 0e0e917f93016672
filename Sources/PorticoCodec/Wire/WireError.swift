import PorticoCore

/// Why Portico could not lay out a schema, or read or write a protobuf message.
///
/// Messages are safe to show a client: they name the field path and the problem, never memory or C details.
public struct WireError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// The bytes are not valid protobuf wire format (truncated, bad varint, bad length, bad tag).
        case malformed
        /// A field's wire type does not match its declared type.
        case wrongWireType
        /// A group (wire types 3 and 4), which Portico does not support.
        case group
        /// A `string` field holds bytes that are not UTF-8.
        case invalidUTF8
        /// Messages nested deeper than the configured limit.
        case tooDeep
        /// The input is larger than the configured limit.
        case tooLarge
        /// A proto2 `required` field is missing.
        case missingRequired
        /// A value does not fit the field (wrong Swift value kind, unknown enum name, out of range).
        case invalidValue
        /// No message or enum of that name is in the pool.
        case unknownType
        /// The schema uses something protobuf-c on run-time descriptors cannot express (groups).
        case unsupportedSchema
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, without the path.
    public var detail: String
    /// The field path (`order_items[2].quantity`), empty at the top level.
    public var path: String

    /// Creates an error at a field path (empty for the message itself).
    public init(_ code: Code, _ detail: String, path: String = "") {
        self.code = code
        self.detail = detail
        self.path = path
    }

    /// The message for a client: the path, when there is one, then the detail.
    public var message: String { path.isEmpty ? detail : "\(path): \(detail)" }

    /// The same error one level further down: `segment` (`items[2]`) is put in front of the path.
    func nested(under segment: String) -> WireError {
        WireError(code, detail, path: path.isEmpty ? segment : "\(segment).\(path)")
    }

    /// The code and the message, for logs.
    public var description: String { "\(code.rawValue): \(message)" }

    /// The error as a ``GatewayError`` from a given side: bad bytes from a client are `INVALID_ARGUMENT`,
    /// bad bytes from a backend are `INTERNAL`.
    public func gatewayError(source: GatewayError.Source) -> GatewayError {
        switch source {
        case .client:
            GatewayError(code: .invalidArgument, message: message, source: .client)
        case .upstream, .gateway:
            GatewayError(code: .internal, message: "the backend sent a message Portico cannot read",
                         source: source, cause: description)
        }
    }
}
