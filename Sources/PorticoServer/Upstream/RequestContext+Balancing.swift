import NIOHTTP1
import PorticoConfig
import PorticoCore
import PorticoPolicies
import PorticoRouting

extension RequestContext {
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
