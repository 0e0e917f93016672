import Foundation
import NIOCore
import NIOHTTP1
import PorticoCodec
import PorticoCore
import PorticoServer
import PorticoTesting
import Testing

/// CORS on the bundled demo folders (`cors:` allows http://localhost:3000) with the backend in memory.
@Suite struct CORSPipelineTests {
    static let origin = "http://localhost:3000"

    private func gateway(mappings: URL = Fixtures.mappingsDirectory) throws -> InMemoryGateway {
        let user = try PipelineInMemoryTests.codec.encode(ProtoMessage("demo.users.v1.User", ["user_id": .string("u1")]))
        return try InMemoryGateway(protos: Fixtures.protosDirectory, mappings: mappings) { loop in
            InMemoryUpstream(eventLoop: loop, unary: [PipelineInMemoryTests.userPath: { _ in .success(ByteBuffer(bytes: user)) }])
        }
    }

    @Test func aPreflightFromAnAllowedOriginIsAnsweredWithoutTheBackend() throws {
        let gateway = try gateway()
        let response = try gateway.send(.OPTIONS, "/v1/users/u1", headers: [
            "origin": Self.origin, "access-control-request-method": "DELETE", "access-control-request-headers": "authorization",
        ])
        #expect(response.status == .noContent)
        #expect(response.headers["access-control-allow-origin"] == [Self.origin])
        let methods = Set((response.headers.first(name: "access-control-allow-methods") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(methods == ["GET", "HEAD", "PATCH", "DELETE"], "the methods of the path's routes")
        #expect(response.headers.first(name: "access-control-allow-headers")?.contains("authorization") == true)
        #expect(response.headers.first(name: "access-control-max-age") == "600")
        #expect(response.headers.first(name: "vary")?.contains("Origin") == true)
        #expect(response.headers["access-control-allow-credentials"].isEmpty)
        #expect(response.body.readableBytes == 0)
        #expect(gateway.upstream.received.isEmpty)
    }

    @Test func aPreflightFromAnotherOriginIsRefusedWithoutCORSHeaders() throws {
        let gateway = try gateway()
        let response = try gateway.send(.OPTIONS, "/v1/users/u1", headers: [
            "origin": "https://evil.example", "access-control-request-method": "GET",
        ])
        #expect(response.status == .forbidden)
        #expect(response.headers["access-control-allow-origin"].isEmpty)
        #expect(String(buffer: response.body).contains("this origin may not call this route"))
    }

    @Test func answersAndErrorsToAnAllowedOriginCarryTheHeaders() throws {
        let gateway = try gateway()
        let ok = try gateway.send(.GET, "/v1/users/u1", headers: ["origin": Self.origin])
        #expect(ok.status == .ok)
        #expect(ok.headers["access-control-allow-origin"] == [Self.origin])
        #expect(ok.headers.first(name: "access-control-expose-headers") == "x-request-id, ratelimit, ratelimit-policy, retry-after")
        #expect(ok.headers["vary"] == ["Origin"])
        let missing = try gateway.send(.GET, "/v1/nothing/here", headers: ["origin": Self.origin])
        #expect(missing.status == .notFound)
        #expect(missing.headers["access-control-allow-origin"] == [Self.origin], "an error answer carries CORS headers too")
        let unauthorized = try gateway.send(.POST, "/v1/orders", headers: ["origin": Self.origin, "content-type": "application/json"], body: "{}")
        #expect(unauthorized.status == .unauthorized)
        #expect(unauthorized.headers["access-control-allow-origin"] == [Self.origin])
    }

    @Test func anotherOriginGetsTheAnswerButNoCORSHeaders() throws {
        let gateway = try gateway()
        let response = try gateway.send(.GET, "/v1/users/u1", headers: ["origin": "https://evil.example"])
        #expect(response.status == .ok, "CORS is the browser's to enforce; the gateway only withholds its permission")
        #expect(response.headers["access-control-allow-origin"].isEmpty)
        #expect(response.headers["vary"] == ["Origin"])
        let sameOrigin = try gateway.send(.GET, "/v1/users/u1")
        #expect(sameOrigin.headers["vary"].isEmpty && sameOrigin.headers["access-control-allow-origin"].isEmpty)
    }

    @Test func aRouteCanTurnCORSOffOrSetItsOwnPolicy() throws {
        let mappings = try Scratch.path("cors")
        try FileManager.default.copyItem(at: Fixtures.mappingsDirectory, to: mappings)
        defer { try? FileManager.default.removeItem(at: mappings) }
        let users = mappings.appendingPathComponent("users.yaml")
        try (String(contentsOf: users, encoding: .utf8) + """
              - selector: demo.users.v1.UserService.GetUser
                cors: { allow_origins: ["https://*.example.com"], allow_credentials: true }
              - selector: demo.users.v1.UserService.ListUsers
                cors: off

            """).write(to: users, atomically: true, encoding: .utf8)
        let gateway = try gateway(mappings: mappings)
        let subdomain = try gateway.send(.GET, "/v1/users/u1", headers: ["origin": "https://app.example.com"])
        #expect(subdomain.headers["access-control-allow-origin"] == ["https://app.example.com"])
        #expect(subdomain.headers["access-control-allow-credentials"] == ["true"])
        let gatewayOrigin = try gateway.send(.GET, "/v1/users/u1", headers: ["origin": Self.origin])
        #expect(gatewayOrigin.headers["access-control-allow-origin"].isEmpty, "the route's policy replaces the gateway's")
        let off = try gateway.send(.OPTIONS, "/v1/users", headers: ["origin": Self.origin, "access-control-request-method": "GET"])
        #expect(off.headers["access-control-allow-origin"].isEmpty)
        #expect(off.status == .methodNotAllowed, "without a policy the preflight is an ordinary OPTIONS request")
    }
}
