import NIOCore
import PorticoCodec
import PorticoHTTP2

/// The three demo backends — users, orders and products — each a gRPC server on nghttp2 with its data in
/// memory, serving the bundled `Protos/demo` schemas and the standard health service. Products runs as
/// several replicas (one server per address) over one shared store, as replicas share a database.
package final class DemoBackends: Sendable {
    /// Where each backend listens: host and port; products once per replica.
    package struct Addresses: Sendable {
        package var users: (host: String, port: Int)
        package var orders: (host: String, port: Int)
        package var products: [(host: String, port: Int)]

        package init(users: (host: String, port: Int), orders: (host: String, port: Int), products: [(host: String, port: Int)]) {
            self.users = users
            self.orders = orders
            self.products = products
        }
    }

    private let servers: [GRPCServer]

    /// The bound ports of users, orders and each products replica, in that order.
    package var ports: [Int] { servers.map(\.port) }

    private init(servers: [GRPCServer]) {
        self.servers = servers
    }

    /// Starts the backends.
    ///
    /// - Parameter descriptors: protobuf-c descriptors of a pool that holds the demo schemas and the
    ///   `google.rpc` error model.
    /// - Throws: the socket error when an address cannot be bound.
    package static func start(descriptors: DescriptorPool, addresses: Addresses, group: any EventLoopGroup) async throws -> DemoBackends {
        let codec = MessageCodec(pool: descriptors)
        let health = try HealthCheckCodec()
        let users = UserStore()
        let products = ProductStore()
        let orders = OrderStore(users: users, products: products)
        var userRegistry = GRPCServiceRegistry()
        HealthService(codec: health, services: ["demo.users.v1.UserService"]).register(in: &userRegistry)
        UserService(store: users, handlers: DemoHandlers(codec: codec, service: "demo.users.v1.UserService"))
            .register(in: &userRegistry)
        var orderRegistry = GRPCServiceRegistry()
        HealthService(codec: health, services: ["demo.orders.v1.OrderService"]).register(in: &orderRegistry)
        OrderService(store: orders, handlers: DemoHandlers(codec: codec, service: "demo.orders.v1.OrderService"))
            .register(in: &orderRegistry)
        var productRegistry = GRPCServiceRegistry()
        HealthService(codec: health, services: ["demo.products.v1.ProductService"]).register(in: &productRegistry)
        ProductService(store: products, handlers: DemoHandlers(codec: codec, service: "demo.products.v1.ProductService"))
            .register(in: &productRegistry)
        var started: [GRPCServer] = []
        do {
            let servers = [(addresses.users, userRegistry), (addresses.orders, orderRegistry)] + addresses.products.map { ($0, productRegistry) }
            for (address, registry) in servers {
                started.append(try await GRPCServer.start(host: address.host, port: address.port, group: group, services: registry))
            }
        } catch {
            for server in started { try? await server.close() }
            throw error
        }
        return DemoBackends(servers: started)
    }

    /// Stops the backends.
    package func close() async {
        for server in servers {
            try? await server.close()
        }
    }
}
