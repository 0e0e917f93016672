import PorticoCore
import CZlib
import NIOCore

/// The owner of one zlib inflate stream, for `grpc-encoding: gzip` and `deflate` messages (and the public
/// listener's `Content-Encoding: gzip` request bodies).
///
/// The `z_stream` lives at a fixed heap address (zlib keeps a pointer back to it) and is released in
/// `deinit`. One inflater serves every message of one call, reset between messages.
package final class ZlibInflater {
    /// The container format of compressed messages.
    package enum Format {
        /// RFC 1952 gzip (`grpc-encoding: gzip`).
        case gzip
        /// RFC 1950 zlib (`grpc-encoding: deflate`).
        case deflate
    }

    private let stream: UnsafeMutablePointer<z_stream>
    private var initialized = false

    package init(format: Format) throws(GRPCStatus) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let windowBits: Int32 = format == .gzip ? 15 + 16 : 15
        guard inflateInit2_(stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw GRPCStatus(code: .internal, message: "cannot initialise decompression")
        }
        initialized = true
    }

    deinit {
        if initialized { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Inflates one whole compressed message.
    ///
    /// - Throws: `RESOURCE_EXHAUSTED` when the result would exceed `limit` bytes, `INTERNAL` when the
    ///   bytes are not a complete compressed stream.
    package func inflate(_ input: ByteBuffer, limit: Int, allocator: ByteBufferAllocator) throws(GRPCStatus) -> ByteBuffer {
        defer { inflateReset(stream) }
        var output = allocator.buffer(capacity: min(max(input.readableBytes * 4, 256), limit + 1))
        var scratch = [UInt8](repeating: 0, count: 32 * 1024)
        var code = Z_OK
        var tooLarge = false
        let compressed = Array(input.readableBytesView)
        compressed.withUnsafeBufferPointer { inputBytes in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: inputBytes.baseAddress)
            stream.pointee.avail_in = uInt(inputBytes.count)
            repeat {
                scratch.withUnsafeMutableBufferPointer { outputBytes in
                    stream.pointee.next_out = outputBytes.baseAddress
                    stream.pointee.avail_out = uInt(outputBytes.count)
                    code = CZlib.inflate(stream, Z_NO_FLUSH)
                    let produced = outputBytes.count - Int(stream.pointee.avail_out)
                    output.writeBytes(UnsafeBufferPointer(rebasing: outputBytes[0..<produced]))
                }
                tooLarge = output.readableBytes > limit
            } while code == Z_OK && !tooLarge
        }
        guard !tooLarge else {
            throw GRPCStatus(code: .resourceExhausted, message: "decompressed message larger than \(limit) bytes")
        }
        guard code == Z_STREAM_END else {
            throw GRPCStatus(code: .internal, message: "invalid compressed message")
        }
        return output
    }
}
