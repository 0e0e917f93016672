import PorticoCore
import NIOCore

/// The gRPC length-prefixed message: one compressed-flag byte, a 4-byte big-endian length, the bytes.
enum GRPCMessageFraming {
    /// The size of the prefix in front of every message.
    static let prefixLength = 5

    /// Writes `message` with an uncompressed prefix into a new buffer.
    static func frame(_ message: ByteBuffer, allocator: ByteBufferAllocator) -> ByteBuffer {
        var framed = allocator.buffer(capacity: prefixLength + message.readableBytes)
        frame(message, into: &framed)
        return framed
    }

    /// Appends `message` with an uncompressed prefix to `buffer`.
    static func frame(_ message: ByteBuffer, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(UInt32(message.readableBytes))
        buffer.writeImmutableBuffer(message)
    }
}

/// Reassembles length-prefixed messages from DATA chunks that may split or join them anywhere.
///
/// A pure value: feed it bytes, take whole messages out. It enforces the maximum message size before
/// buffering a body and after decompressing one.
struct GRPCMessageReader {
    /// The content coding named by `grpc-encoding`.
    enum Encoding: Equatable {
        case identity
        case gzip
        case deflate
        case unsupported(String)

        init(headerValue: String?) {
            switch headerValue {
            case nil, "identity": self = .identity
            case "gzip": self = .gzip
            case "deflate": self = .deflate
            case let other?: self = .unsupported(other)
            }
        }
    }

    /// One reassembled message and the DATA bytes it occupied on the wire (prefix included).
    struct Message {
        var bytes: ByteBuffer
        var wireLength: Int
    }

    let maximumMessageSize: Int
    var encoding: Encoding = .identity
    private var buffered: ByteBuffer?
    private var inflater: ZlibInflater?

    init(maximumMessageSize: Int) {
        self.maximumMessageSize = maximumMessageSize
    }

    /// Bytes received but not yet returned as a message.
    var bufferedBytes: Int { buffered?.readableBytes ?? 0 }

    /// Adds received DATA bytes.
    mutating func append(_ bytes: ByteBuffer) {
        if buffered == nil || buffered!.readableBytes == 0 {
            buffered = bytes
        } else {
            buffered!.writeImmutableBuffer(bytes)
        }
    }

    /// The next whole message, or `nil` when more bytes are needed.
    ///
    /// - Throws: `RESOURCE_EXHAUSTED` for a message over the limit; `INTERNAL` for a compressed message
    ///   without a usable `grpc-encoding`, a bad flag byte or a corrupt compressed body.
    mutating func next(allocator: ByteBufferAllocator) throws(GRPCStatus) -> Message? {
        guard var buffer = buffered, buffer.readableBytes >= GRPCMessageFraming.prefixLength else { return nil }
        let flag = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self)!
        let length = Int(buffer.getInteger(at: buffer.readerIndex + 1, as: UInt32.self)!)
        guard flag <= 1 else { throw GRPCStatus(code: .internal, message: "invalid message flag \(flag)") }
        guard length <= maximumMessageSize else {
            throw GRPCStatus(code: .resourceExhausted, message: "message of \(length) bytes exceeds the limit of \(maximumMessageSize)")
        }
        guard buffer.readableBytes >= GRPCMessageFraming.prefixLength + length else { return nil }
        buffer.moveReaderIndex(forwardBy: GRPCMessageFraming.prefixLength)
        let body = buffer.readSlice(length: length)!
        buffered = buffer.readableBytes == 0 ? nil : buffer
        let wireLength = GRPCMessageFraming.prefixLength + length
        guard flag == 1 else { return Message(bytes: body, wireLength: wireLength) }
        return Message(bytes: try inflate(body, allocator: allocator), wireLength: wireLength)
    }

    private mutating func inflate(_ body: ByteBuffer, allocator: ByteBufferAllocator) throws(GRPCStatus) -> ByteBuffer {
        let format: ZlibInflater.Format
        switch encoding {
        case .gzip: format = .gzip
        case .deflate: format = .deflate
        case .identity: throw GRPCStatus(code: .internal, message: "compressed message without grpc-encoding")
        case .unsupported(let name): throw GRPCStatus(code: .internal, message: "unsupported grpc-encoding \(name)")
        }
        if inflater == nil { inflater = try ZlibInflater(format: format) }
        return try inflater!.inflate(body, limit: maximumMessageSize, allocator: allocator)
    }
}
