import ArgumentParser
import Foundation
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
            (127.0.0.1:50051-50052, and two products replicas on 127.0.0.1:50053 and 50054, unless USERS_ADDR, \
            ORDERS_ADDR or PRODUCTS_ENDPOINTS say otherwise); the gateway \
            on gateway.yaml's listen address (127.0.0.1:8080 unless PORTICO_LISTEN says otherwise), and over HTTPS \
            on 127.0.0.1:8443 (PORTICO_TLS_LISTEN) with a self-signed certificate for localhost and 127.0.0.1 \
            made at start, whose path it prints for curl --cacert (unless gateway.yaml has a tls: section).
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
        let group = MultiThreadedEventLoopGroup(numberOfThreads: EventLoopThreads.count)
        let backends = try await DemoBackends.start(
            descriptors: snapshot.descriptors,
            addresses: try addresses(snapshot.backends),
            group: group
        )
        let names = ["users", "orders"] + Array(repeating: "products", count: backends.ports.count - 2)
        let named = zip(names, backends.ports).map { "\($0) 127.0.0.1:\($1)" }
        printError("portico demo: backends \(named.joined(separator: ", "))")
        if backendsOnly {
            let signals = SignalStream(signals: [SIGINT, SIGTERM])
            for await _ in signals.stream { break }
        } else {
            let (tls, certificate) = try demoTLS(snapshot)
            let secure = tls.map { "\n  curl --cacert \(certificate) https://localhost:\($0.listen.port)/v1/dashboard/u1" } ?? ""
            printError("""
                portico demo: try
                  curl http://127.0.0.1:\(snapshot.configuration.settings.listen.port)/v1/users/u1
                  curl 'http://127.0.0.1:\(snapshot.configuration.settings.listen.port)/v1/products?category=CATEGORY_BOOKS&tags=classic'\(secure)
                """)
            try await GatewayRunner(paths: paths, tracing: tracing, group: group).run(snapshot: snapshot, tls: tls)
        }
        await backends.close()
        try await group.shutdownGracefully()
    }

    /// HTTPS for the demo when gateway.yaml configures none: a self-signed certificate for localhost and
    /// 127.0.0.1, made anew at every start in `$TMPDIR/portico-demo-tls/`; returns its path for `curl --cacert`.
    private func demoTLS(_ snapshot: GatewaySnapshot) throws -> (ListenerTLS?, String) {
        guard snapshot.tls == nil else { return (nil, "") }
        let text = ProcessInfo.processInfo.environment["PORTICO_TLS_LISTEN"] ?? "127.0.0.1:8443"
        guard let listen = HostPort(parsing: text) else {
            printError("portico demo: PORTICO_TLS_LISTEN must be host:port, got \"\(text)\"")
            throw ExitCode(1)
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("portico-demo-tls")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = try TLSCertificateMaker.leaf(commonName: "localhost", dnsNames: ["localhost"], ipAddresses: [[127, 0, 0, 1]])
            .write(to: folder, name: "localhost")
        let here = SourceLocation(file: "portico demo", line: 0, column: 0, keyPath: "tls")
        let settings = TLSSettings(
            listen: listen, certificates: [TLSSettings.Certificate(chainFile: Located(files.certificate, at: here), keyFile: Located(files.key, at: here))]
        )
        return (try ListenerTLS(settings: settings, directory: folder.path), files.certificate)
    }

    private func addresses(_ backends: [BackendConfiguration]) throws -> DemoBackends.Addresses {
        func endpoints(_ name: String) throws -> [(host: String, port: Int)] {
            guard let backend = backends.first(where: { $0.name == name }) else {
                printError("portico demo: the mappings have no backend named \"\(name)\"")
                throw ExitCode(1)
            }
            return backend.upstream.endpoints.map { ($0.host, $0.port) }
        }
        return DemoBackends.Addresses(
            users: try endpoints("users")[0], orders: try endpoints("orders")[0], products: try endpoints("products")
        )
    }
}
