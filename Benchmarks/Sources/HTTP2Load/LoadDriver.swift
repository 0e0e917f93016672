import NIOCore
import PorticoHTTP2

/// Keeps `concurrency` unary calls in flight from one event loop until `total` have completed.
///
/// Every completion starts the next call in its callback on the loop, the way the gateway's hot path runs,
/// so no task hop is measured.
final class LoadDriver {
    /// What a run measured.
    struct Outcome: Sendable {
        var latencies: [Int64]
        var failures: Int
    }

    private let client: GRPCClient
    private let loop: any EventLoop
    private let path: String
    private let request: ByteBuffer
    private var toStart: Int
    private var inFlight = 0
    private var latencies: [Int64] = []
    private var failures = 0
    private let done: EventLoopPromise<Outcome>

    init(client: GRPCClient, loop: any EventLoop, path: String, request: ByteBuffer, total: Int) {
        self.client = client
        self.loop = loop
        self.path = path
        self.request = request
        toStart = total
        latencies.reserveCapacity(total)
        done = loop.makePromise()
    }

    /// Starts the calls; the future completes when the last one is done.
    func run(concurrency: Int) -> EventLoopFuture<Outcome> {
        for _ in 0..<min(concurrency, toStart) { startOne() }
        return done.futureResult
    }

    private func startOne() {
        toStart -= 1
        inFlight += 1
        let started = NIODeadline.now()
        client.unary(path, request: request, on: loop).response.assumeIsolated().whenComplete { result in
            self.inFlight -= 1
            switch result {
            case .success: self.latencies.append((NIODeadline.now() - started).nanoseconds)
            case .failure: self.failures += 1
            }
            if self.toStart > 0 {
                self.startOne()
            } else if self.inFlight == 0 {
                self.done.succeed(Outcome(latencies: self.latencies, failures: self.failures))
            }
        }
    }
}
