import ArgumentParser
import NIOCore
import NIOPosix
import PorticoServer

/// `portico serve`: run the gateway until SIGINT or SIGTERM; SIGHUP reloads.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the gateway on the listen address of gateway.yaml.",
        discussion: """
            SIGHUP compiles Protos and Mappings again and swaps the new configuration in when it compiles; \
            otherwise the running one stays and every problem is logged. SIGINT or SIGTERM stop accepting \
            connections and let requests in flight finish (up to 10 seconds).
            """
    )

    @OptionGroup var paths: GatewayPaths
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var tracing: TracingOptions

    func run() async throws {
        logging.bootstrap()
        let snapshot = try paths.compileOrExit()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: EventLoopThreads.count)
        try await GatewayRunner(paths: paths, tracing: tracing, group: group).run(snapshot: snapshot)
        try await group.shutdownGracefully()
    }
}
