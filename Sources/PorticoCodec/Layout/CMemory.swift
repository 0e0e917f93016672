#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns the C memory of a ``DescriptorPool``: descriptors, arrays, names and default values.
///
/// Every block is zeroed on allocation and freed in `deinit`. Not `Sendable` on its own; the pool that owns
/// it is immutable after construction.
final class CMemory {
    private var blocks: [UnsafeMutableRawPointer] = []

    deinit {
        for block in blocks { free(block) }
    }

    /// `count` zeroed values of `T`.
    func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let bytes = max(1, MemoryLayout<T>.stride * count)
        guard let block = calloc(1, bytes) else { fatalError("DescriptorPool: out of memory") }
        blocks.append(block)
        return block.bindMemory(to: T.self, capacity: max(count, 1))
    }

    /// `count` zeroed bytes aligned for any member.
    func allocateBytes(_ count: Int) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(allocate(UInt64.self, count: (count + 7) / 8))
    }

    /// A NUL-terminated copy of a string.
    func cString(_ string: String) -> UnsafePointer<CChar> {
        let utf8 = Array(string.utf8)
        let target = allocate(CChar.self, count: utf8.count + 1)
        for (index, byte) in utf8.enumerated() { target[index] = CChar(bitPattern: byte) }
        return UnsafePointer(target)
    }

    /// A copy of bytes (a non-NULL pointer even when empty).
    func bytes(_ bytes: [UInt8]) -> UnsafeMutablePointer<UInt8> {
        let target = allocate(UInt8.self, count: bytes.count)
        for (index, byte) in bytes.enumerated() { target[index] = byte }
        return target
    }
}
