import Synchronization

/// Whether the gateway takes new requests, for `/readyz`: from the moment it serves until shutdown begins.
///
/// It says nothing of the backends: one backend down must not take every gateway instance out of a load
/// balancer's rotation, which would also cut off the routes of the healthy backends. Their state is on
/// `/admin/breakers`.
final class GatewayReadiness: Sendable {
    private let draining = Atomic(false)

    /// Whether the gateway is ready.
    var isReady: Bool { !draining.load(ordering: .relaxed) }

    /// Marks the gateway as shutting down.
    func markDraining() {
        draining.store(true, ordering: .relaxed)
    }
}
