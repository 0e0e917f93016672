public import NIOCore

/// One RESP2 reply: a simple string, an error, an integer, a bulk string or an array of replies (`nil` bulk
/// and array are RESP2's null replies).
public enum RESPValue: Sendable, Hashable {
    case simpleString(String)
    case error(String)
    case integer(Int64)
    case bulkString(ByteBuffer?)
    case array([RESPValue]?)

    /// The reply as text: a simple string, a bulk string or an integer; `nil` for the others.
    public var text: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes?): String(buffer: bytes)
        case .integer(let value): String(value)
        default: nil
        }
    }

    /// The reply as an integer: an integer, or a bulk or simple string holding one.
    public var integer: Int64? {
        if case .integer(let value) = self { return value }
        return text.flatMap { Int64($0) }
    }
}
