import NIOCore
import PorticoCodec
import PorticoCore
import PorticoHTTP2
import PorticoSchema

/// The standard gRPC health service of a demo backend: `SERVING` for the server as a whole (the empty name)
/// and for each service it hosts, `NOT_FOUND` for any other name, as the health-checking protocol says.
struct HealthService: Sendable {
    let codec: HealthCheckCodec
    /// The services the backend hosts.
    let services: Set<String>

    func register(in registry: inout GRPCServiceRegistry) {
        let codec = codec
        let services = services
        registry.registerUnary(GRPCHealthProto.checkPath) { request in
            let loop = request.eventLoop
            do {
                let service = try codec.service(in: request.message)
                guard service.isEmpty || services.contains(service) else {
                    return loop.makeFailedFuture(GRPCStatus(code: .notFound, message: "unknown service \(service)"))
                }
                return loop.makeSucceededFuture(GRPCServerResponse(message: try codec.response(.serving)))
            } catch {
                return loop.makeFailedFuture(GRPCStatus(code: .invalidArgument, message: "malformed HealthCheckRequest"))
            }
        }
    }
}
