import NIOCore
import NIOSSL
import PorticoConfig
import PorticoHTTP2
import Synchronization

/// Where a backend client connects: the address, and the TLS it speaks there.
package struct UpstreamTarget: Sendable {
    package var address: HostPort
    /// `nil` for cleartext HTTP/2.
    package var tls: NIOSSLContext?
    /// The name its certificate is checked against (and the SNI); the host when `nil`.
    package var tlsServerName: String?
}

/// The clients of the backends, one per address and TLS setting, kept across reloads so a reload does not
/// drop warm connections.
package final class UpstreamDirectory: Sendable {
    /// Clients are shared by backends with the same address and `tls:` settings.
    private struct Key: Hashable {
        var address: HostPort
        var tls: BackendTLS?
    }

    let group: any EventLoopGroup
    private let connect: @Sendable (UpstreamTarget) -> any UpstreamClient
    private let clients = Mutex<[Key: any UpstreamClient]>([:])

    /// gRPC clients over nghttp2 on `group`.
    package convenience init(group: any EventLoopGroup) {
        self.init(group: group) { target in
            var configuration = GRPCClientConfiguration()
            configuration.tls = target.tls
            configuration.tlsServerName = target.tlsServerName
            return GRPCClient(host: target.address.host, port: target.address.port, group: group, configuration: configuration)
        }
    }

    /// Clients that `connect` makes, one per address (in-memory ones in tests).
    package init(group: any EventLoopGroup, connect: @escaping @Sendable (UpstreamTarget) -> any UpstreamClient) {
        self.group = group
        self.connect = connect
    }

    /// The clients for `backends`, in their order, speaking TLS with `tls` (by backend index); a client is made
    /// for an address and TLS setting seen first. A client's TLS files are read when it is made: a reload that
    /// changes only their contents takes effect after a restart.
    func clients(for backends: [BackendConfiguration], tls: [NIOSSLContext?]) -> [any UpstreamClient] {
        clients.withLock { clients in
            backends.enumerated().map { index, backend in
                let key = Key(address: backend.address, tls: backend.tls)
                if let client = clients[key] { return client }
                let context = tls.indices.contains(index) ? tls[index] : nil
                let client = connect(UpstreamTarget(address: backend.address, tls: context, tlsServerName: backend.tls?.serverName))
                clients[key] = client
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
