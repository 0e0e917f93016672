import CProtobufC
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A per-request bump allocator: every message, array, string and unpacked value of one request lives here.
///
/// Allocation moves a pointer inside the current chunk; nothing is freed one by one. ``reset()`` drops every
/// allocation at once and keeps the chunks for the next request, so a steady request load allocates from
/// `malloc` only while the arena grows. Every allocation is aligned to 16 bytes, which covers every member
/// protobuf-c reads.
///
/// The arena is also a `ProtobufCAllocator` (``allocator``), so `protobuf_c_message_unpack` allocates from
/// it and its `free` does nothing. An arena belongs to one request on one event loop: it is not `Sendable`.
/// Pointers it returned die at ``reset()`` or when the arena is freed.
package final class Arena {
    /// Alignment of every allocation.
    package static let alignment = 16

    private struct Chunk {
        let base: UnsafeMutableRawPointer
        let size: Int
    }

    private var chunks: [Chunk] = []
    /// Allocations larger than a chunk; freed at reset.
    private var largeBlocks: [UnsafeMutableRawPointer] = []
    /// The bump state of the current chunk, in raw memory that protobuf-c's allocation callback reads
    /// directly: no reference to the arena is taken, no exclusivity is checked, and the callback calls
    /// back into the arena only when the chunk is full.
    private struct Bump {
        var cursor: UnsafeMutableRawPointer?
        var remaining: Int
        /// The arena (unretained), for ``Arena/refill(_:_:)``.
        let owner: UnsafeMutableRawPointer
    }

    @exclusivity(unchecked) private var chunkIndex = -1
    private let chunkSize: Int
    private let bump: UnsafeMutablePointer<Bump>
    private let allocatorStorage: UnsafeMutablePointer<ProtobufCAllocator>
    /// Bytes handed out since the last reset from earlier chunks and large blocks; the current chunk's share
    /// is `chunkSize - remaining`, so the allocation fast path keeps no count.
    @exclusivity(unchecked) private var bytesOutsideCurrentChunk = 0

    /// The bytes handed out since the last reset (allocation sizes rounded up to the alignment).
    package var bytesAllocated: Int {
        bytesOutsideCurrentChunk + (chunkIndex >= 0 ? chunkSize - bump.pointee.remaining : 0)
    }

    /// Creates an empty arena whose chunks hold `chunkSize` bytes (at least 1 KiB).
    package init(chunkSize: Int = 16 * 1024) {
        self.chunkSize = max(1024, chunkSize)
        bump = .allocate(capacity: 1)
        allocatorStorage = .allocate(capacity: 1)
        allocatorStorage.initialize(to: ProtobufCAllocator(
            alloc: { data, size in
                // The arena outlives every unpack that uses it; the fast path touches only the bump state.
                let bump = data.unsafelyUnwrapped.assumingMemoryBound(to: Bump.self)
                let rounded = Arena.rounded(size)
                if rounded <= bump.pointee.remaining, let start = bump.pointee.cursor {
                    bump.pointee.cursor = start + rounded
                    bump.pointee.remaining -= rounded
                    return start
                }
                return Arena.refill(bump, rounded)
            },
            free: { _, _ in },
            allocator_data: UnsafeMutableRawPointer(bump)
        ))
        bump.initialize(to: Bump(cursor: nil, remaining: 0, owner: Unmanaged.passUnretained(self).toOpaque()))
    }

    deinit {
        for chunk in chunks { free(chunk.base) }
        for block in largeBlocks { free(block) }
        allocatorStorage.deinitialize(count: 1)
        allocatorStorage.deallocate()
        bump.deinitialize(count: 1)
        bump.deallocate()
    }

    /// The arena as a protobuf-c allocator; valid as long as the arena lives.
    var allocator: UnsafeMutablePointer<ProtobufCAllocator> { allocatorStorage }

    /// Returns `byteCount` bytes aligned to ``alignment``; their content is undefined.
    @inline(__always)
    func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        let rounded = Arena.rounded(byteCount)
        if rounded <= bump.pointee.remaining, let start = bump.pointee.cursor {
            bump.pointee.cursor = start + rounded
            bump.pointee.remaining -= rounded
            return start
        }
        return allocateSlow(rounded)
    }

    /// A size rounded up to ``alignment`` (at least one unit, so every allocation has its own address).
    @inline(__always)
    private static func rounded(_ byteCount: Int) -> Int {
        (max(byteCount, 1) + alignment - 1) & ~(alignment - 1)
    }

    /// The callback's slow path: a static function, so the callback passes no `self` and stays a leaf on
    /// its fast path.
    private static func refill(_ bump: UnsafeMutablePointer<Bump>, _ rounded: Int) -> UnsafeMutableRawPointer {
        Unmanaged<Arena>.fromOpaque(bump.pointee.owner)._withUnsafeGuaranteedRef { $0.allocateSlow(rounded) }
    }

    /// Returns `byteCount` zeroed bytes aligned to ``alignment``.
    @inline(__always)
    func allocateZeroed(byteCount: Int) -> UnsafeMutableRawPointer {
        let pointer = allocate(byteCount: byteCount)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
        return pointer
    }

    /// Copies bytes into the arena and returns the copy (`nil` for an empty input).
    func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeMutableRawPointer? {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return nil }
        let target = allocate(byteCount: bytes.count)
        target.copyMemory(from: source, byteCount: bytes.count)
        return target
    }

    /// Forgets every allocation, as ``reset()`` does, and frees the chunks beyond the first `count`.
    package func reset(retainingChunks count: Int) {
        reset()
        while chunks.count > max(count, 0) {
            free(chunks.removeLast().base)
        }
    }

    /// Forgets every allocation; the chunks stay for reuse, blocks larger than a chunk are freed.
    package func reset() {
        for block in largeBlocks { free(block) }
        largeBlocks.removeAll(keepingCapacity: true)
        chunkIndex = -1
        bump.pointee.cursor = nil
        bump.pointee.remaining = 0
        bytesOutsideCurrentChunk = 0
    }

    private func allocateSlow(_ rounded: Int) -> UnsafeMutableRawPointer {
        if rounded > chunkSize / 2 {
            bytesOutsideCurrentChunk += rounded
            let block = mallocAligned(rounded)
            largeBlocks.append(block)
            return block
        }
        if chunkIndex >= 0 { bytesOutsideCurrentChunk += chunkSize - bump.pointee.remaining }
        chunkIndex += 1
        if chunkIndex == chunks.count {
            chunks.append(Chunk(base: mallocAligned(chunkSize), size: chunkSize))
        }
        let chunk = chunks[chunkIndex]
        bump.pointee.cursor = chunk.base + rounded
        bump.pointee.remaining = chunk.size - rounded
        return chunk.base
    }

    private func mallocAligned(_ size: Int) -> UnsafeMutableRawPointer {
        var pointer: UnsafeMutableRawPointer?
        guard posix_memalign(&pointer, Arena.alignment, size) == 0, let pointer else {
            fatalError("Arena: out of memory allocating \(size) bytes")
        }
        return pointer
    }
}
