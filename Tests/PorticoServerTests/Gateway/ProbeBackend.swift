import NIOConcurrencyHelpers
import NIOCore
import PorticoCodec
import PorticoCore
import PorticoHTTP2
import PorticoSchema
import PorticoTesting

/// The test fixtures' `probe.v1.ProbeService` on a real nghttp2 server: `Fail` answers with the status
/// code it is asked for, `Slow` and `Sleep` wait the milliseconds they are asked for (`Slow`'s route has a
/// 200 ms timeout, `Sleep`'s the backend's 5 s), `Echo` returns the metadata it got, `Flaky` answers
/// `UNAVAILABLE` to the first `failures` calls of a key and then the number of calls it saw.
enum ProbeBackend {
    static func start(group: any EventLoopGroup, port: Int = 0, configuration: GRPCServerConfiguration = GRPCServerConfiguration()) async throws -> GRPCServer {
        let loader = ProtoLoader(includeRoots: [Fixtures.url("gateway/protos")])
        let codec = MessageCodec(pool: try DescriptorPool(schema: try loader.loadAll().pool))
        var registry = GRPCServiceRegistry()
        registry.registerUnary("/probe.v1.ProbeService/Fail") { request in
            let code = (try? codec.decode(request.message, as: "probe.v1.FailRequest"))?["code"]
            guard case .int32(let number) = code, number != 0 else {
                return request.eventLoop.makeSucceededFuture(GRPCServerResponse(message: ByteBuffer()))
            }
            let status = GRPCStatus(code: GRPCStatusCode(rawValue: Int(number)), message: "probe failure \(number)")
            return request.eventLoop.makeFailedFuture(GRPCServerError(status: status))
        }
        let wait: GRPCServiceRegistry.UnaryHandler = { request in
            let millis = (try? codec.decode(request.message, as: "probe.v1.SlowRequest"))?["millis"]
            guard case .int32(let wait) = millis else {
                return request.eventLoop.makeSucceededFuture(GRPCServerResponse(message: ByteBuffer()))
            }
            return request.eventLoop.scheduleTask(in: .milliseconds(Int64(wait))) { GRPCServerResponse(message: ByteBuffer()) }.futureResult
        }
        registry.registerUnary("/probe.v1.ProbeService/Slow", handler: wait)
        registry.registerUnary("/probe.v1.ProbeService/Sleep", handler: wait)
        registry.registerUnary("/probe.v1.ProbeService/Echo") { request in
            var entries: [ProtoValue: ProtoValue] = [:]
            for entry in request.metadata {
                if case .text(let text) = entry.value { entries[.string(entry.name)] = .string(text) }
            }
            do {
                var reply = ByteBuffer()
                try codec.encode(ProtoMessage("probe.v1.EchoReply", ["metadata": .map(entries)]), into: &reply)
                return request.eventLoop.makeSucceededFuture(GRPCServerResponse(message: reply, headers: ["x-probe": "yes", "x-secret": "no"]))
            } catch {
                return request.eventLoop.makeFailedFuture(error)
            }
        }
        let flakyCalls = NIOLockedValueBox<[String: Int32]>([:])
        registry.registerUnary("/probe.v1.ProbeService/Flaky") { request in
            guard let message = try? codec.decode(request.message, as: "probe.v1.FlakyRequest"),
                  case .string(let key)? = message["key"] else {
                return request.eventLoop.makeFailedFuture(GRPCServerError(status: GRPCStatus(code: .invalidArgument, message: "key")))
            }
            let failures: Int32 = if case .int32(let value)? = message["failures"] { value } else { 0 }
            let attempts = flakyCalls.withLockedValue { calls in
                calls[key, default: 0] += 1
                return calls[key, default: 0]
            }
            guard attempts > failures else {
                return request.eventLoop.makeFailedFuture(GRPCServerError(status: GRPCStatus(code: .unavailable, message: "flaky \(attempts)")))
            }
            do {
                var reply = ByteBuffer()
                try codec.encode(ProtoMessage("probe.v1.FlakyReply", ["attempts": .int32(attempts)]), into: &reply)
                return request.eventLoop.makeSucceededFuture(GRPCServerResponse(message: reply))
            } catch {
                return request.eventLoop.makeFailedFuture(error)
            }
        }
        return try await GRPCServer.start(port: port, group: group, services: registry, configuration: configuration)
    }
}
