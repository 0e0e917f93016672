import Foundation

/// Runs blocking work (waiting for a child process, reading its pipes to the end) on a thread of its own.
///
/// Not on a Dispatch global queue: on Linux the Swift concurrency pool is drawn from the same threads (two on
/// two cores), so a test blocked there stalls every other test's clients and timers, and timing-sensitive
/// tests (request timeouts, shedding) then see the wrong thing.
package enum BlockingThread {
    /// Starts `body` on a new thread and returns at once.
    package static func start(_ body: @escaping @Sendable () -> Void) {
        Thread(block: body).start()
    }

    /// Runs `body` on a new thread and returns its result.
    package static func value<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            start { continuation.resume(with: Result { try body() }) }
        }
    }
}
