import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import PorticoCodec
import PorticoCore
import PorticoHTTP2
import PorticoServer
import PorticoTesting
import Testing

/// The response cache on the bundled demo folders (GetProduct: `cache: { ttl: 30s, stale_if_error: 5m }`)
/// with the backend in memory and a manual clock.
@Suite struct ResponseCacheTests {
    static let productPath = "/demo.products.v1.ProductService/GetProduct"
    static let userPath = "/demo.users.v1.UserService/GetUser"

    /// A products backend naming the product it was asked for; it fails with UNAVAILABLE while `failing`.
    final class Backend: Sendable {
        let failing = NIOLockedValueBox(false)

        func handler(_ call: InMemoryUpstream.Call) -> Result<ByteBuffer, GRPCCallError> {
            if failing.withLockedValue({ $0 }) { return .failure(InMemoryUpstream.status(.unavailable, "down")) }
            let codec = PipelineInMemoryTests.codec
            let request = (try? codec.decode(call.request, as: "demo.products.v1.GetProductRequest")) ?? ProtoMessage("x", [:])
            guard case .string(let id)? = request["product_id"] else { return .failure(InMemoryUpstream.status(.internal, "no id")) }
            let product = ProtoMessage("demo.products.v1.Product", ["product_id": .string(id), "name": .string("Product \(id)")])
            return (try? codec.encode(product)).map { .success(ByteBuffer(bytes: $0)) } ?? .failure(InMemoryUpstream.status(.internal, "encode"))
        }
    }

    private func gateway(mappings: URL = Fixtures.mappingsDirectory, clock: ManualClock, backend: Backend) throws -> InMemoryGateway {
        try InMemoryGateway(protos: Fixtures.protosDirectory, mappings: mappings, clock: clock) { loop in
            InMemoryUpstream(eventLoop: loop, unary: [
                Self.productPath: { backend.handler($0) },
                Self.userPath: { _ in
                    .success(ByteBuffer(bytes: try! PipelineInMemoryTests.codec.encode(ProtoMessage("demo.users.v1.User", ["user_id": .string("u1")]))))
                },
            ])
        }
    }

    private func calls(_ gateway: InMemoryGateway, _ path: String = Self.productPath) -> Int {
        gateway.upstream.received.filter { $0.path == path }.count
    }

    @Test func aSecondReadIsAHitWithAgeAndTheSameBody() throws {
        let clock = ManualClock()
        let gateway = try gateway(clock: clock, backend: Backend())
        let miss = try gateway.send(.GET, "/v1/products/p1")
        #expect(miss.status == .ok)
        #expect(miss.headers.first(name: "x-cache") == "MISS")
        #expect(miss.headers.first(name: "cache-control") == "public, max-age=30")
        let etag = try #require(miss.headers.first(name: "etag"))
        clock.advance(by: .seconds(12))
        let hit = try gateway.send(.GET, "/v1/products/p1")
        #expect(hit.headers.first(name: "x-cache") == "HIT")
        #expect(hit.headers.first(name: "age") == "12")
        #expect(hit.headers.first(name: "cache-control") == "public, max-age=18")
        #expect(hit.headers.first(name: "etag") == etag)
        #expect(hit.headers.first(name: "content-type") == "application/json")
        #expect(hit.body == miss.body)
        #expect(calls(gateway) == 1)
    }

    @Test func anExpiredAnswerIsFetchedAgain() throws {
        let clock = ManualClock()
        let gateway = try gateway(clock: clock, backend: Backend())
        _ = try gateway.send(.GET, "/v1/products/p1")
        clock.advance(by: .seconds(31))
        #expect(try gateway.send(.GET, "/v1/products/p1").headers.first(name: "x-cache") == "MISS")
        #expect(calls(gateway) == 2)
    }

    @Test func keysSeparateProductsVersionsAndQueries() throws {
        let gateway = try gateway(clock: ManualClock(), backend: Backend())
        _ = try gateway.send(.GET, "/v1/products/p1")
        _ = try gateway.send(.GET, "/v1/products/p2")
        _ = try gateway.send(.GET, "/v1/products/p1", headers: ["x-api-version": "v1"])
        #expect(calls(gateway) == 3)
        let p2 = try gateway.send(.GET, "/v1/products/p2")
        #expect(p2.headers.first(name: "x-cache") == "HIT")
        #expect(String(buffer: p2.body).contains("Product p2"))
        #expect(calls(gateway) == 3)
    }

    @Test func aFailingBackendIsAnsweredStaleWithinStaleIfError() throws {
        let clock = ManualClock()
        let backend = Backend()
        let gateway = try gateway(clock: clock, backend: backend)
        let fresh = try gateway.send(.GET, "/v1/products/p1")
        clock.advance(by: .seconds(60))
        backend.failing.withLockedValue { $0 = true }
        let stale = try gateway.send(.GET, "/v1/products/p1")
        #expect(stale.status == .ok)
        #expect(stale.headers.first(name: "x-cache") == "STALE")
        #expect(stale.headers.first(name: "age") == "60")
        #expect(stale.body == fresh.body)
        clock.advance(by: .minutes(5))
        #expect(try gateway.send(.GET, "/v1/products/p1").status == .serviceUnavailable, "past stale_if_error the failure shows")
    }

    @Test func ifNoneMatchWithTheETagIs304() throws {
        let gateway = try gateway(clock: ManualClock(), backend: Backend())
        let first = try gateway.send(.GET, "/v1/products/p1")
        let etag = try #require(first.headers.first(name: "etag"))
        let notModified = try gateway.send(.GET, "/v1/products/p1", headers: ["if-none-match": "\"other\", \(etag)"])
        #expect(notModified.status == .notModified)
        #expect(notModified.body.readableBytes == 0)
        #expect(notModified.headers.first(name: "etag") == etag)
        let changed = try gateway.send(.GET, "/v1/products/p1", headers: ["if-none-match": "\"other\""])
        #expect(changed.status == .ok)
    }

    /// A copy of the bundled Mappings with `gateway` appended to gateway.yaml and `users` to users.yaml's routes.
    private func mappings(gateway: String = "", users: String = "") throws -> URL {
        let folder = try Scratch.path("cache")
        try FileManager.default.copyItem(at: Fixtures.mappingsDirectory, to: folder)
        for (file, addition) in [("gateway.yaml", gateway), ("users.yaml", users)] {
            let url = folder.appendingPathComponent(file)
            try (String(contentsOf: url, encoding: .utf8) + addition).write(to: url, atomically: true, encoding: .utf8)
        }
        return folder
    }

    @Test func anAuthenticatedRouteCachesPerPrincipal() throws {
        let folder = try mappings(users: """
              - selector: demo.users.v1.UserService.GetUser
                auth: api_key
                cache: { ttl: 30s }

            """)
        defer { try? FileManager.default.removeItem(at: folder) }
        let gateway = try gateway(mappings: folder, clock: ManualClock(), backend: Backend())
        let partner: HTTPHeaders = ["x-api-key": "portico-demo-key-7c1e9a42"], readOnly: HTTPHeaders = ["x-api-key": "portico-demo-readonly-5b2d8f10"]
        let first = try gateway.send(.GET, "/v1/users/u1", headers: partner)
        #expect(first.headers.first(name: "cache-control") == "private, max-age=30")
        #expect(try gateway.send(.GET, "/v1/users/u1", headers: readOnly).headers.first(name: "x-cache") == "MISS")
        #expect(try gateway.send(.GET, "/v1/users/u1", headers: partner).headers.first(name: "x-cache") == "HIT")
        #expect(calls(gateway, Self.userPath) == 2, "one call per principal")
        #expect(try gateway.send(.GET, "/v1/users/u1").status == .unauthorized, "a cached answer never skips authentication")
    }

    @Test func theByteBoundEvictsTheLeastRecentlyUsed() throws {
        let folder = try mappings(gateway: "cache: { max_bytes: 2KiB }\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let gateway = try gateway(mappings: folder, clock: ManualClock(), backend: Backend())
        _ = try gateway.send(.GET, "/v1/products/p0")
        for index in 1...10 {
            _ = try gateway.send(.GET, "/v1/products/p0")
            _ = try gateway.send(.GET, "/v1/products/p\(index)")
        }
        #expect(try gateway.send(.GET, "/v1/products/p0").headers.first(name: "x-cache") == "HIT", "kept: used most recently")
        #expect(try gateway.send(.GET, "/v1/products/p1").headers.first(name: "x-cache") == "MISS", "evicted: used least recently")
        #expect(calls(gateway) == 12)
    }

    @Test func cachingAPostRouteIsAConfigurationError() throws {
        let folder = try Scratch.path("cache")
        try FileManager.default.copyItem(at: Fixtures.mappingsDirectory, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let users = folder.appendingPathComponent("users.yaml")
        try (String(contentsOf: users, encoding: .utf8) + "  - selector: demo.users.v1.UserService.CreateUser\n    cache: { ttl: 5s }\n")
            .write(to: users, atomically: true, encoding: .utf8)
        let error = try #require(throws: GatewayCompileError.self) {
            try GatewayCompiler(protosDirectory: Fixtures.protosDirectory, mappingsDirectory: folder).compile()
        }
        #expect(error.problems.contains { $0.contains("CreateUser: cache needs a GET route or idempotent: true") })
    }
}
