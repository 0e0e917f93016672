import NIOHTTP1
import PorticoConfig
import PorticoCore
import PorticoPolicies
import PorticoRouting

extension RequestContext {
    /// How `cluster` chooses the endpoint of this request's call: by the route's hash key when it has one,
    /// never twice the same endpoint across retries when it balances.
    func upstreamPick(for cluster: BackendCluster) -> UpstreamPick {
        UpstreamPick(
            hashKey: cluster.settings.balancer.hashOn.flatMap { balancingKey($0) }.map(StableHash.of),
            tried: cluster.isBalanced ? TriedEndpoints() : nil
        )
    }

    /// The text a consistent hash is computed from, or `nil` when the request does not carry it (then the
    /// balancer falls back to power of two choices).
    func balancingKey(_ key: BalancerSettings.HashKey) -> String? {
        switch key {
        case .header(let name):
            return request.headers.first(name: name)
        case .claim(let claim):
            guard let principal else { return nil }
            switch claim {
            case "sub": return principal.subject
            case "client_id": return principal.clientID
            default: return principal.plan
            }
        case .pathVariable(let field):
            return matched?.bindings.first { $0.name == field }?.value
        }
    }
}
