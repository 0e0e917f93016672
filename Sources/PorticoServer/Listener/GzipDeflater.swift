import CZlib
import NIOCore
import NIOPosix

/// Compresses answers as gzip (RFC 1952) with one zlib stream per event-loop thread, reset between answers,
/// so no answer pays for setting up zlib's state.
final class GzipDeflater {
    /// zlib's fastest level: JSON still shrinks several times, for a fraction of level 6's CPU.
    static let level: Int32 = 1

    /// Only the owning thread reads or writes its value.
    nonisolated(unsafe) private static let deflaters = ThreadSpecificVariable<GzipDeflater>()

    private let stream: UnsafeMutablePointer<z_stream>
    private var initialized = false

    private init() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        initialized = deflateInit2_(
            stream, Self.level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)
        ) == Z_OK
    }

    deinit {
        if initialized { deflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// `body` compressed, or `nil` when zlib could not compress it.
    static func compress(_ body: ByteBuffer, allocator: ByteBufferAllocator) -> ByteBuffer? {
        let deflater: GzipDeflater
        if let current = deflaters.currentValue {
            deflater = current
        } else {
            deflater = GzipDeflater()
            deflaters.currentValue = deflater
        }
        return deflater.compress(body, allocator: allocator)
    }

    private func compress(_ body: ByteBuffer, allocator: ByteBufferAllocator) -> ByteBuffer? {
        guard initialized else { return nil }
        defer { deflateReset(stream) }
        let bound = Int(deflateBound(stream, uLong(body.readableBytes)))
        var output = allocator.buffer(capacity: bound)
        var code = Z_OK
        body.withUnsafeReadableBytes { input in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: UInt8.self).baseAddress)
            stream.pointee.avail_in = uInt(input.count)
            output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { space in
                stream.pointee.next_out = space.bindMemory(to: UInt8.self).baseAddress
                stream.pointee.avail_out = uInt(space.count)
                code = deflate(stream, Z_FINISH)
                return space.count - Int(stream.pointee.avail_out)
            }
        }
        return code == Z_STREAM_END ? output : nil
    }
}
