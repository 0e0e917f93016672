import NIOCore
import NIOPosix
import PorticoCore
import PorticoHTTP2

/// An event loop group, our gRPC server on 127.0.0.1 port 0 and a client pointed at it, torn down after
/// `body` whatever it does.
func withServerAndClient<Result>(
    loops: Int = 2,
    services: GRPCServiceRegistry = TestServices.registry,
    server serverConfiguration: GRPCServerConfiguration = GRPCServerConfiguration(),
    client clientConfiguration: GRPCClientConfiguration = GRPCClientConfiguration(),
    _ body: (GRPCServer, GRPCClient, MultiThreadedEventLoopGroup) async throws -> Result
) async throws -> Result {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: loops)
    do {
        let server = try await GRPCServer.start(group: group, services: services, configuration: serverConfiguration)
        let client = GRPCClient(host: "127.0.0.1", port: server.port, group: group, configuration: clientConfiguration)
        let result: Result
        do {
            result = try await body(server, client, group)
        } catch {
            try? await client.close().get()
            try? await server.close()
            throw error
        }
        try await client.close().get()
        try await server.close()
        try await group.shutdownGracefully()
        return result
    } catch {
        try? await group.shutdownGracefully()
        throw error
    }
}

/// The error a call failed with, or `nil` when it succeeded.
func callError<Value: Sendable>(_ future: EventLoopFuture<Value>) async -> GRPCCallError? {
    do {
        _ = try await future.get()
        return nil
    } catch let error as GRPCCallError {
        return error
    } catch {
        return GRPCCallError(status: GRPCStatus(code: .unknown, message: "\(error)"), kind: .local)
    }
}
