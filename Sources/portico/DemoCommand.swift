import ArgumentParser
import NIOCore
import NIOPosix
import PorticoConfig
import PorticoDemo
import PorticoServer

/// `portico demo`: the three demo backends and the gateway in one process.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demo backends (users, orders, products) and the gateway on the bundled Protos and Mappings.",
        discussion: """
            The backends listen on the addresses of Mappings/users.yaml, orders.yaml and products.yaml \
            (127.0.0.1:50051-50053 unless USERS_ADDR, ORDERS_ADDR or PRODUCTS_ADDR say otherwise); the gateway \
            on gateway.yaml's listen address (127.0.0.1:8080 unless PORTICO_LISTEN says otherwise).
            """
    )

    @OptionGroup var paths: GatewayPaths
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var tracing: TracingOptions

    @Flag(help: "Run only the demo backends, for a gateway started elsewhere (the Envoy comparison uses it).")
    var backendsOnly = false

    func run() async throws {
        logging.bootstrap()
        let snapshot = try paths.compileOrExit()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let backends = try await DemoBackends.start(
            descriptors: snapshot.descriptors,
            addresses: try addresses(snapshot.backends),
            group: group
        )
        let named = zip(["users", "orders", "products"], backends.ports).map { "\($0) 127.0.0.1:\($1)" }
        printError("portico demo: backends \(named.joined(separator: ", "))")
        if backendsOnly {
            let signals = SignalStream(signals: [SIGINT, SIGTERM])
            for await _ in signals.stream { break }
        } else {
            printError("""
                portico demo: try
                  curl http://127.0.0.1:\(snapshot.configuration.settings.listen.port)/v1/users/u1
                  curl 'http://127.0.0.1:\(snapshot.configuration.settings.listen.port)/v1/products?category=CATEGORY_BOOKS&tags=classic'
                """)
            try await GatewayRunner(paths: paths, tracing: tracing, group: group).run(snapshot: snapshot)
        }
        await backends.close()
        try await group.shutdownGracefully()
    }

    private func addresses(_ backends: [BackendConfiguration]) throws -> DemoBackends.Addresses {
        func address(_ name: String) throws -> (host: String, port: Int) {
            guard let backend = backends.first(where: { $0.name == name }) else {
                printError("portico demo: the mappings have no backend named \"\(name)\"")
                throw ExitCode(1)
            }
            return (backend.address.host, backend.address.port)
        }
        return DemoBackends.Addresses(users: try address("users"), orders: try address("orders"), products: try address("products"))
    }
}
