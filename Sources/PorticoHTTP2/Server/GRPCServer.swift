import PorticoCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// A small gRPC server on nghttp2 for the demo backends and the tests (cleartext HTTP/2 with prior knowledge,
/// or TLS with ALPN `h2`).
///
/// It binds, reports the port it got (bind port 0 for a free one), serves the methods of a
/// ``GRPCServiceRegistry`` and closes every connection on ``close()``.
public final class GRPCServer: Sendable {
    /// The bound port.
    public let port: Int
    private let listener: any Channel
    private let connections: NIOLockedValueBox<[ObjectIdentifier: any Channel]>

    private init(listener: any Channel, connections: NIOLockedValueBox<[ObjectIdentifier: any Channel]>) {
        self.listener = listener
        self.connections = connections
        port = listener.localAddress?.port ?? 0
    }

    /// Binds `host:port` and starts serving `services`.
    public static func start(
        host: String = "127.0.0.1",
        port: Int = 0,
        group: any EventLoopGroup,
        services: GRPCServiceRegistry,
        configuration: GRPCServerConfiguration = GRPCServerConfiguration()
    ) -> EventLoopFuture<GRPCServer> {
        let connections = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                let key = ObjectIdentifier(channel)
                connections.withLockedValue { $0[key] = channel }
                channel.closeFuture.whenComplete { _ in
                    _ = connections.withLockedValue { $0.removeValue(forKey: key) }
                }
                return channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    if let tls = configuration.tls { try operations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try operations.addHandler(GRPCServerConnectionHandler(services: services, configuration: configuration))
                }
            }
            .bind(host: host, port: port)
            .map { GRPCServer(listener: $0, connections: connections) }
    }

    /// Binds and starts serving, from async code.
    public static func start(
        host: String = "127.0.0.1",
        port: Int = 0,
        group: any EventLoopGroup,
        services: GRPCServiceRegistry,
        configuration: GRPCServerConfiguration = GRPCServerConfiguration()
    ) async throws -> GRPCServer {
        try await start(host: host, port: port, group: group, services: services, configuration: configuration).get()
    }

    /// The number of open connections.
    public var connectionCount: Int { connections.withLockedValue { $0.count } }

    /// Stops listening and closes every connection at once (in-flight calls see the connection drop).
    public func close() -> EventLoopFuture<Void> {
        let open = connections.withLockedValue { Array($0.values) }
        let closes = [listener.close()] + open.map { channel in
            channel.close().recover { _ in }
        }
        return EventLoopFuture.andAllComplete(closes, on: listener.eventLoop)
    }

    /// Stops listening and closes every connection, from async code.
    public func close() async throws {
        try await close().get()
    }
}
