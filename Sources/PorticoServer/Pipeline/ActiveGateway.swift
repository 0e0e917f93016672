import PorticoHTTP2

/// A snapshot together with the clients of its backends: what one request uses from start to end.
final class ActiveGateway: Sendable {
    let snapshot: GatewaySnapshot
    /// One client per backend, indexed like ``GatewaySnapshot/backends``.
    let clients: [GRPCClient]

    init(snapshot: GatewaySnapshot, clients: [GRPCClient]) {
        self.snapshot = snapshot
        self.clients = clients
    }
}
