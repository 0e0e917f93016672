import PorticoConfig
import Synchronization

/// One replica of a backend: its resolved address, its client (a connection pool per event loop) and the
/// calls it has in flight, which the power-of-two-choices balancer compares.
final class ClusterEndpoint: Sendable {
    let address: HostPort
    let client: any UpstreamClient
    private let calls = Atomic<Int>(0)
    private let started = Atomic<Int>(0)

    init(address: HostPort, client: any UpstreamClient) {
        self.address = address
        self.client = client
    }

    /// Calls sent to the endpoint and not yet finished.
    var inFlight: Int { calls.load(ordering: .relaxed) }

    /// Calls sent to the endpoint since it joined the backend.
    var callCount: Int { started.load(ordering: .relaxed) }

    func callStarted() {
        calls.add(1, ordering: .relaxed)
        started.add(1, ordering: .relaxed)
    }

    func callFinished() {
        calls.subtract(1, ordering: .relaxed)
    }
}

/// The endpoints a request's earlier attempts went to, so a retry goes to another one while another is usable.
final class TriedEndpoints: Sendable {
    private let addresses = Mutex<[HostPort]>([])

    init() {}

    var all: [HostPort] { addresses.withLock { $0 } }

    func add(_ address: HostPort) {
        addresses.withLock { $0.append(address) }
    }
}

/// What the balancer may use of a request to choose its endpoint.
struct UpstreamPick: Sendable {
    /// The consistent-hash key's hash, for `ring_hash`; `nil` when the request carries no key.
    var hashKey: UInt64?
    /// Where earlier attempts of the same request went.
    var tried: TriedEndpoints?
}
