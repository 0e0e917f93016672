import NIOCore
import PorticoConfig
import PorticoHTTP2
import Synchronization

/// The clients of the backends, one per address, kept across reloads so a reload does not drop warm
/// connections.
package final class UpstreamDirectory: Sendable {
    let group: any EventLoopGroup
    private let connect: @Sendable (HostPort) -> any UpstreamClient
    private let clients = Mutex<[HostPort: any UpstreamClient]>([:])

    /// gRPC clients over nghttp2 on `group`.
    package convenience init(group: any EventLoopGroup) {
        self.init(group: group) { address in GRPCClient(host: address.host, port: address.port, group: group) }
    }

    /// Clients that `connect` makes, one per address (in-memory ones in tests).
    package init(group: any EventLoopGroup, connect: @escaping @Sendable (HostPort) -> any UpstreamClient) {
        self.group = group
        self.connect = connect
    }

    /// The clients for `backends`, in their order; a client is made for an address seen first.
    func clients(for backends: [BackendConfiguration]) -> [any UpstreamClient] {
        clients.withLock { clients in
            backends.map { backend in
                if let client = clients[backend.address] { return client }
                let client = connect(backend.address)
                clients[backend.address] = client
                return client
            }
        }
    }

    /// Closes every connection.
    package func close() async {
        let all = clients.withLock { Array($0.values) }
        for client in all {
            try? await client.close().get()
        }
    }
}
