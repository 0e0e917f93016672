import Foundation
import NIOCore
import NIOPosix
import PorticoHTTP2

/// HTTP2Load — unary gRPC load against Portico's own server.
///
///     HTTP2Load server                      serve /portico.bench.Echo/Unary on 127.0.0.1, print the port
///     HTTP2Load client PORT CALLS CONCURRENCY STREAMS_PER_CONNECTION
///
/// The client runs on one event loop and prints calls/s, p50 and p99 latency. With STREAMS_PER_CONNECTION
/// below CONCURRENCY the pool opens several connections (up to 8).
let arguments = CommandLine.arguments.dropFirst()
let path = "/portico.bench.Echo/Unary"

switch arguments.first {
case "server":
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    var registry = GRPCServiceRegistry()
    registry.registerUnary(path) { request in
        request.eventLoop.makeSucceededFuture(GRPCServerResponse(message: request.message))
    }
    let server: GRPCServer = try await GRPCServer.start(group: group, services: registry).get()
    FileHandle.standardOutput.write(Data("\(server.port)\n".utf8))
    while readLine() != nil {}
    try await server.close().get()
    try await group.shutdownGracefully()

case "client":
    let values = arguments.dropFirst().compactMap { Int($0) }
    guard values.count == 4 else {
        print("usage: HTTP2Load client PORT CALLS CONCURRENCY STREAMS_PER_CONNECTION")
        exit(2)
    }
    let (port, calls, concurrency, streamsPerConnection) = (values[0], values[1], values[2], values[3])
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let loop = group.next()
    var configuration = GRPCClientConfiguration()
    configuration.maximumConcurrentStreamsPerConnection = streamsPerConnection
    configuration.maximumConnectionsPerEventLoop = 8
    let client = GRPCClient(host: "127.0.0.1", port: port, group: group, configuration: configuration)
    let request = ByteBuffer(repeating: 0x61, count: 64)

    func measure(_ total: Int) async throws -> (seconds: Double, latencies: [Int64], failures: Int) {
        let started = NIODeadline.now()
        let outcome = try await loop.flatSubmit {
            LoadDriver(client: client, loop: loop, path: path, request: request, total: total).run(concurrency: concurrency)
        }.get()
        return (Double((NIODeadline.now() - started).nanoseconds) / 1e9, outcome.latencies, outcome.failures)
    }

    _ = try await measure(min(calls, 20_000))
    let run = try await measure(calls)
    let sorted = run.latencies.sorted()
    func percentile(_ fraction: Double) -> Double {
        sorted.isEmpty ? 0 : Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]) / 1000
    }
    let connections = try await client.statistics().get().connections
    print(
        "calls=\(calls) concurrency=\(concurrency) connections=\(connections) failures=\(run.failures) "
            + "calls/s=\(Int(Double(run.latencies.count) / run.seconds)) p50=\(Int(percentile(0.5)))us p99=\(Int(percentile(0.99)))us"
    )
    try await client.close().get()
    try await group.shutdownGracefully()

default:
    print("usage: HTTP2Load server | HTTP2Load client PORT CALLS CONCURRENCY STREAMS_PER_CONNECTION")
    exit(2)
}
