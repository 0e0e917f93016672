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
        let codec = MessageCodec(pool: try DescriptorPool(schema: try loader.load(files: loader.discoverFiles() + BuiltInProtos.errorModelFiles).pool))
        var registry = GRPCServiceRegistry()
        registry.registerUnary("/probe.v1.ProbeService/Fail") { request in
            let code = (try? codec.decode(request.message, as: "probe.v1.FailRequest"))?["code"]
            guard case .int32(let number) = code, number != 0 else {
                return request.eventLoop.makeSucceededFuture(GRPCServerResponse(message: ByteBuffer()))
            }
            let message = "probe failure \(number)"
            let status = GRPCStatus(code: GRPCStatusCode(rawValue: Int(number)), message: message, details: failureDetails(number, message, codec))
            return request.eventLoop.makeFailedFuture(GRPCServerError(status: status))
        }
        registerFiles(&registry, codec: codec)
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

    /// `google.rpc.Status` details of a `Fail` answer: an `ErrorInfo` and a `DebugInfo` with a "secret".
    private static func failureDetails(_ code: Int32, _ message: String, _ codec: MessageCodec) -> [UInt8]? {
        let info = ProtoMessage("google.rpc.ErrorInfo", ["reason": .string("PROBE_\(code)"), "domain": .string("probe.test")])
        let debug = ProtoMessage("google.rpc.DebugInfo", [
            "stack_entries": .list([.string("at Probe.fail(Probe.swift:42)")]), "detail": .string("password=hunter2"),
        ])
        func any(_ type: String, _ message: ProtoMessage) -> ProtoValue {
            .message(ProtoMessage("google.protobuf.Any", [
                "type_url": .string("type.googleapis.com/\(type)"), "value": .bytes((try? codec.encode(message)) ?? []),
            ]))
        }
        let status = ProtoMessage("google.rpc.Status", [
            "code": .int32(code), "message": .string(message),
            "details": .list([any("google.rpc.ErrorInfo", info), any("google.rpc.DebugInfo", debug)]),
        ])
        return try? codec.encode(status)
    }

    /// The `google.api.HttpBody` methods: `Download` answers `contents of <name>` as text, `DownloadChunks`
    /// the same in three messages, `Upload` reports the file it got, `RawEcho` returns its request.
    private static func registerFiles(_ registry: inout GRPCServiceRegistry, codec: MessageCodec) {
        @Sendable func body(_ text: String, type: String = "text/plain") -> ProtoMessage {
            ProtoMessage("google.api.HttpBody", ["content_type": .string(type), "data": .bytes(Array(text.utf8))])
        }
        @Sendable func reply(_ message: ProtoMessage, on eventLoop: any EventLoop) -> EventLoopFuture<GRPCServerResponse> {
            do {
                var bytes = ByteBuffer()
                try codec.encode(message, into: &bytes)
                return eventLoop.makeSucceededFuture(GRPCServerResponse(message: bytes))
            } catch {
                return eventLoop.makeFailedFuture(error)
            }
        }
        @Sendable func name(_ request: ByteBuffer) -> String {
            guard case .string(let name)? = (try? codec.decode(request, as: "probe.v1.DownloadRequest"))?["name"] else { return "" }
            return name
        }
        registry.registerUnary("/probe.v1.ProbeService/Download") { request in
            reply(body("contents of \(name(request.message))"), on: request.eventLoop)
        }
        registry.registerServerStreaming("/probe.v1.ProbeService/DownloadChunks") { request, writer in
            let pieces = ["contents ", "of ", name(request.message)]
            for piece in pieces {
                var bytes = ByteBuffer()
                try? codec.encode(body(piece), into: &bytes)
                writer.send(bytes)
            }
            return request.eventLoop.makeSucceededFuture(GRPCMetadata())
        }
        registry.registerUnary("/probe.v1.ProbeService/Upload") { request in
            guard let upload = try? codec.decode(request.message, as: "probe.v1.UploadRequest"),
                  case .message(let file)? = upload["file"] else {
                return request.eventLoop.makeFailedFuture(GRPCServerError(status: GRPCStatus(code: .invalidArgument, message: "no file")))
            }
            let text: String = if case .bytes(let data)? = file["data"] { String(decoding: data, as: UTF8.self) } else { "" }
            return reply(ProtoMessage("probe.v1.UploadReply", [
                "name": upload["name"] ?? .string(""), "content_type": file["content_type"] ?? .string(""), "text": .string(text),
            ]), on: request.eventLoop)
        }
        registry.registerUnary("/probe.v1.ProbeService/RawEcho") { request in
            request.eventLoop.makeSucceededFuture(GRPCServerResponse(message: request.message))
        }
    }
}
