import NIOPosix
import PorticoCodec
import PorticoCore

/// The transcoder's scratch memory: one arena per event-loop thread, reset after every call.
///
/// A transcoding call is synchronous and leaves nothing in its arena (the result is copied out into a
/// `ByteBuffer`), so calls on one thread can share an arena in turn instead of each creating (and freeing) one
/// with its first 16 KiB chunk. An arena that grew past ``retainedChunks`` chunks for a large message gives the
/// rest back at reset, so a thread keeps at most that much.
enum ThreadArena {
    /// The chunks (16 KiB each) an arena keeps between calls.
    static let retainedChunks = 16

    /// Only the owning thread reads or writes its value.
    nonisolated(unsafe) private static let arenas = ThreadSpecificVariable<Arena>()

    /// Runs `body` with this thread's arena and resets the arena afterwards.
    static func withArena<Result>(_ body: (Arena) throws(GatewayError) -> Result) throws(GatewayError) -> Result {
        let arena: Arena
        if let current = arenas.currentValue {
            arena = current
        } else {
            arena = Arena()
            arenas.currentValue = arena
        }
        defer { arena.reset(retainingChunks: retainedChunks) }
        return try body(arena)
    }
}
