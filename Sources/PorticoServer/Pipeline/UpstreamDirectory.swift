public import NIOCore
import PorticoConfig
import PorticoHTTP2
import Synchronization

/// The gRPC clients of the backends, one per address, kept across reloads so a reload does not drop
/// warm connections.
public final class UpstreamDirectory: Sendable {
    let group: any EventLoopGroup
    private let clients = Mutex<[HostPort: GRPCClient]>([:])

    public init(group: any EventLoopGroup) {
        self.group = group
    }

    /// The clients for `backends`, in their order; a client is made for an address seen first.
    func clients(for backends: [BackendConfiguration]) -> [GRPCClient] {
        clients.withLock { clients in
            backends.map { backend in
                if let client = clients[backend.address] { return client }
                let client = GRPCClient(host: backend.address.host, port: backend.address.port, group: group)
                clients[backend.address] = client
                return client
            }
        }
    }

    /// Closes every connection.
    public func close() async {
        let all = clients.withLock { Array($0.values) }
        for client in all {
            try? await client.close().get()
        }
    }
}
