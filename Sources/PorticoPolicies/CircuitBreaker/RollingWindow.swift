public import NIOCore

/// Counts of requests and failures over the last `window`, kept in a fixed number of buckets.
///
/// Buckets older than the window are cleared as time moves, so the counts always cover between
/// `window - window/buckets` and `window` of history, in constant memory.
public struct RollingWindow: Sendable, Hashable {
    private var requests: [Int]
    private var failures: [Int]
    private let bucketNanoseconds: Int64
    private var currentBucket: Int64?

    public init(window: TimeAmount, buckets: Int = 10) {
        let count = max(1, buckets)
        requests = Array(repeating: 0, count: count)
        failures = Array(repeating: 0, count: count)
        bucketNanoseconds = max(1, window.nanoseconds / Int64(count))
    }

    /// Counts one request at `now`.
    public mutating func record(failure: Bool, at now: NIODeadline) {
        let index = advance(to: now)
        requests[index] += 1
        if failure { failures[index] += 1 }
    }

    /// The totals over the window ending at `now`.
    public mutating func totals(at now: NIODeadline) -> (requests: Int, failures: Int) {
        _ = advance(to: now)
        return (requests.reduce(0, +), failures.reduce(0, +))
    }

    /// Forgets every count.
    public mutating func reset() {
        for index in requests.indices {
            requests[index] = 0
            failures[index] = 0
        }
    }

    private mutating func advance(to now: NIODeadline) -> Int {
        let bucket = Int64(now.uptimeNanoseconds / UInt64(bucketNanoseconds))
        let count = Int64(requests.count)
        guard let current = currentBucket else {
            currentBucket = bucket
            return Int(bucket % count)
        }
        guard bucket > current else { return Int(current % count) }
        for step in 1...min(bucket - current, count) {
            let index = Int((current + step) % count)
            requests[index] = 0
            failures[index] = 0
        }
        currentBucket = bucket
        return Int(bucket % count)
    }
}
