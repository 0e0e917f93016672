import Dispatch
import Synchronization

/// Writes whole lines to a file descriptor (standard output or error) from a writer queue of its own, so an
/// event loop that logs never waits for a slow terminal or pipe.
///
/// Lines are appended to a pending buffer under a lock and written in batches. When more than
/// `maxPendingBytes` wait (the reader has stalled), new lines are dropped and counted rather than blocking
/// requests or growing without bound.
package final class LogWriter: AccessLogSink {
    private let descriptor: Int32
    private let maxPendingBytes: Int
    private let queue: DispatchQueue
    private let pending = Mutex(Pending())

    private struct Pending {
        var bytes: [UInt8] = []
        var isDrainScheduled = false
        var droppedLines = 0
    }

    /// - Parameters:
    ///   - descriptor: where lines go (1 for standard output, 2 for standard error).
    ///   - maxPendingBytes: how much may wait for the descriptor before lines are dropped.
    package init(descriptor: Int32, maxPendingBytes: Int = 8 << 20) {
        self.descriptor = descriptor
        self.maxPendingBytes = maxPendingBytes
        queue = DispatchQueue(label: "portico.log-writer.\(descriptor)")
    }

    /// Standard output's writer, shared by every logger and the access log of the process.
    package static let standardOutput = LogWriter(descriptor: 1)

    /// Lines dropped so far because the descriptor did not keep up.
    package var droppedLines: Int {
        pending.withLock { $0.droppedLines }
    }

    /// Queues `line` and a newline; never blocks on the descriptor.
    package func write(line: [UInt8]) {
        let scheduleDrain = pending.withLock { pending -> Bool in
            guard pending.bytes.count + line.count + 1 <= maxPendingBytes else {
                pending.droppedLines += 1
                return false
            }
            pending.bytes.append(contentsOf: line)
            pending.bytes.append(UInt8(ascii: "\n"))
            guard !pending.isDrainScheduled else { return false }
            pending.isDrainScheduled = true
            return true
        }
        if scheduleDrain { queue.async { self.drain() } }
    }

    /// Waits until every line queued so far has been written.
    package func flush() {
        queue.sync {}
    }

    private func drain() {
        var batch: [UInt8] = []
        while true {
            let done = pending.withLock { pending -> Bool in
                swap(&batch, &pending.bytes)
                if batch.isEmpty { pending.isDrainScheduled = false }
                return batch.isEmpty
            }
            if done { return }
            batch.withUnsafeBytes { writeAll(descriptor, $0) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
