import NIOCore
import PorticoCodec
import PorticoConfig
import PorticoPolicies

/// `/admin/backends`: every backend of the running snapshot with its balancer, its breaker, and each endpoint's
/// health, ejection and calls in flight.
struct BackendListing {
    let pipeline: GatewayPipeline

    func json() -> [UInt8] {
        let gateway = pipeline.activeGateway
        var backends: [[UInt8]] = []
        for (cluster, guarded) in zip(gateway.clusters, gateway.guards) {
            var object = JSONObjectBuilder()
            object.add("backend", guarded.name)
            object.add("balancer", Self.describe(cluster.settings.balancer))
            object.add("health_check", cluster.settings.healthCheck.map { "\($0.service.isEmpty ? "server" : $0.service) every \($0.interval)" } ?? "off")
            object.add("outlier_detection", cluster.settings.outlierDetection != nil)
            object.add("breaker", guarded.breaker?.snapshot().state ?? "off")
            let (panic, states) = cluster.endpointStates()
            object.add("panic", panic)
            object.add("endpoints", objects: states.map { state in
                var endpoint = JSONObjectBuilder()
                endpoint.add("address", state.address.description)
                endpoint.add("health", state.health)
                endpoint.add("ejected", state.ejectedFor != nil)
                if let remaining = state.ejectedFor {
                    endpoint.add("ejected_for_seconds", Double(remaining.nanoseconds) / 1e9)
                }
                endpoint.add("ejections", state.ejections)
                endpoint.add("in_flight", state.inFlight)
                endpoint.add("calls", state.calls)
                endpoint.add("usable", state.isUsable)
                return endpoint.finish()
            })
            backends.append(object.finish())
        }
        var document = JSONObjectBuilder()
        document.add("backends", objects: backends)
        return document.finish()
    }

    private static func describe(_ balancer: BalancerSettings) -> String {
        switch balancer.hashOn {
        case .header(let name)?: "ring_hash on header \(name)"
        case .claim(let claim)?: "ring_hash on claim \(claim)"
        case .pathVariable(let field)?: "ring_hash on path variable \(field)"
        case nil: balancer.policy.rawValue
        }
    }
}
