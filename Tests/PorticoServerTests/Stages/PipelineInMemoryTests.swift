import Foundation
import NIOCore
import NIOEmbedded
import NIOHTTP1
import PorticoCodec
import PorticoCore
import PorticoHTTP2
import PorticoSchema
import PorticoServer
import PorticoTesting
import Testing

/// The stages on the bundled demo folders with the backend in memory: no socket, no process.
@Suite struct PipelineInMemoryTests {
    static let userPath = "/demo.users.v1.UserService/GetUser"

    /// The demo schema's codec, for the backend's side of the calls.
    static let codec: MessageCodec = {
        let loader = ProtoLoader(includeRoots: [Fixtures.protosDirectory])
        // The bundled folders compile in every other test; a failure here is a broken checkout.
        let schema = try! loader.load(files: loader.discoverFiles() + BuiltInProtos.errorModelFiles).pool
        return MessageCodec(pool: try! DescriptorPool(schema: schema))
    }()

    /// The demo gateway whose users backend answers GetUser with `answer`.
    private func gateway(_ answer: @escaping InMemoryUpstream.UnaryHandler) throws -> InMemoryGateway {
        try InMemoryGateway(protos: Fixtures.protosDirectory, mappings: Fixtures.mappingsDirectory) { loop in
            InMemoryUpstream(eventLoop: loop, unary: [Self.userPath: answer])
        }
    }

    @Test func aRouteCallsItsMethodWithThePathVariableAndAnswersJSON() throws {
        let user = try Self.codec.encode(ProtoMessage("demo.users.v1.User", ["user_id": .string("u1"), "display_name": .string("Ada")]))
        let gateway = try gateway { _ in .success(ByteBuffer(bytes: user)) }
        let response = try gateway.send(.GET, "/v1/users/u1")
        #expect(response.status == .ok)
        #expect(String(buffer: response.body) == #"{"userId":"u1","displayName":"Ada"}"#)
        let call = try #require(gateway.upstream.received.first)
        #expect(call.path == Self.userPath)
        #expect(try Self.codec.decode(call.request, as: "demo.users.v1.GetUserRequest")["user_id"] == .string("u1"))
        #expect(call.options.deadline != nil, "the route's timeout goes with the call")
    }

    @Test func aQueryParameterNamingThePathVariableNeverReachesTheBackend() throws {
        let gateway = try gateway { _ in .failure(InMemoryUpstream.status(.internal, "must not be called")) }
        let response = try gateway.send(.GET, "/v1/users/u1?userId=u2")
        #expect(response.status == .badRequest)
        #expect(String(buffer: response.body).contains(#"query parameter \"userId\" sets a field bound by the URL path"#))
        #expect(gateway.upstream.received.isEmpty)
    }

    @Test func anInternalBackendErrorIsAnsweredWithoutItsMessageOrDebugInfo() throws {
        let debug = ProtoMessage("google.rpc.DebugInfo", ["detail": .string("password=hunter2")])
        let status = ProtoMessage("google.rpc.Status", [
            "code": .int32(13), "message": .string("SELECT * FROM users failed"),
            "details": .list([.message(ProtoMessage("google.protobuf.Any", [
                "type_url": .string("type.googleapis.com/google.rpc.DebugInfo"), "value": .bytes(try Self.codec.encode(debug)),
            ]))]),
        ])
        let details = try Self.codec.encode(status)
        let gateway = try gateway { _ in .failure(InMemoryUpstream.status(.internal, "SELECT * FROM users failed", details: details)) }
        let response = try gateway.send(.GET, "/v1/users/u1")
        let body = String(buffer: response.body)
        #expect(response.status == .internalServerError)
        #expect(!body.contains("SELECT"))
        #expect(!body.contains("hunter2"))
        let requestID = try #require(response.headers.first(name: "x-request-id"))
        #expect(body.contains("request id \(requestID)"))
    }

    @Test func headTakesTheGetRoute() throws {
        let user = try Self.codec.encode(ProtoMessage("demo.users.v1.User", ["user_id": .string("u1")]))
        let gateway = try gateway { _ in .success(ByteBuffer(bytes: user)) }
        let response = try gateway.send(.HEAD, "/v1/users/u1")
        #expect(response.status == .ok)
        #expect(response.headers.first(name: "content-type") == "application/json")
        let refused = try gateway.send(.PUT, "/v1/users/u1")
        #expect(refused.headers.first(name: "allow")?.contains("HEAD") == true)
    }

    @Test func theListenerPipelineAnswersPipelinedRequestsAndHeadWithoutASocket() throws {
        let user = try Self.codec.encode(ProtoMessage("demo.users.v1.User", ["user_id": .string("u1")]))
        let gateway = try gateway { _ in .success(ByteBuffer(bytes: user)) }
        let answer = try gateway.exchange(
            "GET /v1/users/u1 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "HEAD /v1/users/u1 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /v1/nothing HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
        )
        let statuses = answer.components(separatedBy: "HTTP/1.1 ").dropFirst().map { $0.prefix { $0 != "\r\n" } }
        #expect(statuses == ["200 OK", "200 OK", "404 Not Found"])
        #expect(answer.components(separatedBy: #"{"userId":"u1"}"#).count == 2, "one body: the GET's, none for HEAD")
        #expect(gateway.upstream.received.count == 2)
    }

    @Test func aClientThatDoesNotReadGetsNoMoreAnswersUntilItDoes() throws {
        let user = try Self.codec.encode(ProtoMessage("demo.users.v1.User", ["user_id": .string("u1")]))
        let gateway = try gateway { _ in .success(ByteBuffer(bytes: user)) }
        let channel = EmbeddedChannel(loop: gateway.eventLoop)
        try PublicListener.addHandlers(to: channel.pipeline.syncOperations, limits: ListenerLimits(), responder: gateway.pipeline)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
        channel.isWritable = false
        try channel.writeInbound(ByteBuffer(string: "GET /v1/users/u1 HTTP/1.1\r\nHost: a\r\n\r\n"))
        gateway.eventLoop.run()
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil, "no answer while the socket is full")
        #expect(gateway.upstream.received.isEmpty, "and no backend call either")
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        gateway.eventLoop.run()
        var answer = ""
        while var chunk = try channel.readOutbound(as: ByteBuffer.self) { answer += chunk.readString(length: chunk.readableBytes) ?? "" }
        #expect(answer.hasPrefix("HTTP/1.1 200 OK"))
        #expect(gateway.upstream.received.count == 1)
        _ = try? channel.finish()
    }
}
