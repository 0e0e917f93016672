import Logging
import NIOCore
import NIOSSL
import PorticoCodec
import PorticoConfig
import PorticoCore
import PorticoHTTP2
import Synchronization

/// Where an endpoint's client connects: the address, and the TLS it speaks there.
package struct UpstreamTarget: Sendable {
    package var address: HostPort
    /// `nil` for cleartext HTTP/2.
    package var tls: NIOSSLContext?
    /// The name its certificate is checked against (and the SNI); the host when `nil`.
    package var tlsServerName: String?
}

/// The backends' clusters, kept across reloads: a backend whose endpoints, balancing, health checks, TLS and
/// timeout did not change keeps its cluster — its warm connections, health and ejection records — and a
/// cluster no snapshot uses any more stops probing and closes once its calls had time to end.
package final class UpstreamDirectory: Sendable {
    private struct Key: Hashable {
        var name: String
        var upstream: UpstreamSettings
        var tls: BackendTLS?
        var timeout: Duration
    }

    let group: any EventLoopGroup
    private let connect: @Sendable (UpstreamTarget) -> any UpstreamClient
    private let clusters = Mutex<[Key: BackendCluster]>([:])
    /// Clusters no snapshot uses any more, closed for good at ``close()``.
    private let stopped = Mutex<[BackendCluster]>([])
    private let healthCodec: HealthCheckCodec?

    /// gRPC clients over nghttp2 on `group`.
    package convenience init(group: any EventLoopGroup) {
        self.init(group: group) { target in
            var configuration = GRPCClientConfiguration()
            configuration.tls = target.tls
            configuration.tlsServerName = target.tlsServerName
            return GRPCClient(host: target.address.host, port: target.address.port, group: group, configuration: configuration)
        }
    }

    /// Clients that `connect` makes, one per endpoint (in-memory ones in tests).
    package init(group: any EventLoopGroup, connect: @escaping @Sendable (UpstreamTarget) -> any UpstreamClient) {
        self.group = group
        self.connect = connect
        healthCodec = try? HealthCheckCodec()
    }

    /// The clusters for `backends`, in their order, speaking TLS with `tls` (by backend index); clusters of an
    /// earlier snapshot that `backends` no longer use are stopped. A client's TLS files are read when it is
    /// made: a reload that changes only their contents takes effect after a restart.
    func clusters(
        for backends: [BackendConfiguration], tls: [NIOSSLContext?], metrics: GatewayMetrics, clock: any MonotonicClock, logger: Logger
    ) -> [BackendCluster] {
        let (chosen, unused, started) = clusters.withLock { known -> ([BackendCluster], [BackendCluster], [BackendCluster]) in
            var next: [Key: BackendCluster] = [:]
            var started: [BackendCluster] = []
            let chosen = backends.enumerated().map { index, backend in
                let key = Key(name: backend.name, upstream: backend.upstream, tls: backend.tls, timeout: backend.timeout)
                if let cluster = known[key] ?? next[key] {
                    next[key] = cluster
                    return cluster
                }
                let context = tls.indices.contains(index) ? tls[index] : nil
                let serverName = backend.tls?.serverName
                let connect = self.connect
                let cluster = BackendCluster(
                    name: backend.name, settings: backend.upstream, drainTime: TimeAmount(backend.timeout) + .seconds(5), group: group,
                    clock: clock, metrics: metrics.backendMetrics(named: backend.name), logger: logger
                ) { address in
                    connect(UpstreamTarget(address: address, tls: context, tlsServerName: serverName))
                }
                next[key] = cluster
                started.append(cluster)
                return cluster
            }
            let unused = known.filter { next[$0.key] == nil }.map(\.value)
            known = next
            return (chosen, unused, started)
        }
        started.forEach { $0.start(healthCodec: healthCodec) }
        unused.forEach { $0.stop() }
        stopped.withLock { stopped in
            stopped.removeAll { $0.isDrained }
            stopped += unused
        }
        return chosen
    }

    /// Stops every cluster and closes every connection.
    package func close() async {
        let all = clusters.withLock { Array($0.values) } + stopped.withLock { $0 }
        for cluster in all {
            await cluster.close()
        }
    }
}
