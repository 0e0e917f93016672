import Foundation
import NIOCore
import NIOPosix
import PorticoHTTP2
import PorticoConfig
import PorticoServer
import PorticoTesting
import Testing

/// A backend of several grpcio replicas (`replica_server.py`, each on its own loopback address, as distinct
/// hosts) behind one gateway backend: balancing, consistent hashing, outlier ejection, active health checks
/// and `/admin/backends`, on real sockets.
@Suite(.serialized) struct BackendClusterTests {
    private static let hosts = ["127.0.0.1", "127.0.0.2", "127.0.0.3"]

    /// Replicas `a`, `b`, … on the loopback hosts, stopped after `body`.
    private static func withReplicas(_ count: Int, _ body: ([PythonServer]) async throws -> Void) async throws {
        var replicas: [PythonServer] = []
        defer { replicas.forEach { $0.stop() } }
        for index in 0..<count {
            replicas.append(try await PythonServer.start("replica_server.py", [String(UnicodeScalar(UInt8(97 + index))), hosts[index]]))
        }
        try await body(replicas)
    }

    /// A gateway whose probe backend has `replicas` as endpoints and `upstream` added to its `backend:` section.
    private static func withGateway(
        _ replicas: [PythonServer], upstream: String, _ body: (GatewayHarness) async throws -> Void
    ) async throws {
        let folder = try GatewayHarness.mappings(gatewayBase: "listen: 127.0.0.1:0\naccess_log: off")
        let endpoints = replicas.enumerated().map { "\(hosts[$0.offset]):\($0.element.port)" }.joined(separator: ", ")
        let probe = """
            backend:
              name: probe
              endpoints: [\(endpoints)]
              timeout: 5s
              services: [probe.v1.ProbeService]
            \(upstream.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            routes:
              - selector: probe.v1.ProbeService.Echo
                idempotent: true

            """
        try probe.write(to: folder.appendingPathComponent("probe.yaml"), atomically: true, encoding: .utf8)
        try await GatewayHarness.withProbe(backendAddress: "127.0.0.1:1", mappings: folder, body)
    }

    /// The replica that answered one echo, or the failed reply.
    private static func echo(_ gateway: GatewayHarness, headers: [String: String] = [:]) async throws -> String {
        var all = ["content-type": "application/json"]
        all.merge(headers) { $1 }
        let reply = try await gateway.send("POST", "/v1/echo", headers: all, body: "{}")
        guard reply.status == 200,
              let object = try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: String],
              let replica = object["replica"]
        else { return "failed \(reply.status) \(reply.body)" }
        return replica
    }

    /// `/admin/backends`' endpoints of the probe backend, by address.
    private static func endpoints(_ gateway: GatewayHarness) async throws -> [String: [String: Any]] {
        let port = try #require(gateway.server.adminAddress?.port)
        let reply = try await gateway.send("GET", "/admin/backends", port: port)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any])
        let backends = try #require(document["backends"] as? [[String: Any]])
        let probe = try #require(backends.first { $0["backend"] as? String == "probe" })
        let list = try #require(probe["endpoints"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: list.map { ($0["address"] as? String ?? "", $0) })
    }

    /// Polls `/admin/backends` until `done` holds for the endpoint at `address` (at most about 15 s).
    private static func waitFor(
        _ gateway: GatewayHarness, _ address: String, _ done: ([String: Any]) -> Bool
    ) async throws -> [String: Any]? {
        var last: [String: Any]?
        for _ in 0..<150 {
            last = try await endpoints(gateway)[address]
            if let last, done(last) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        return last
    }

    @Test func roundRobinAndPowerOfTwoChoicesSpreadCallsOverTheReplicas() async throws {
        try await Self.withReplicas(3) { replicas in
            try await Self.withGateway(replicas, upstream: "balancer: round_robin") { gateway in
                var seen: [String: Int] = [:]
                for _ in 0..<30 { seen[try await Self.echo(gateway), default: 0] += 1 }
                #expect(seen == ["a": 10, "b": 10, "c": 10], "round robin takes turns exactly: \(seen)")
            }
            try await Self.withGateway(replicas, upstream: "balancer: p2c") { gateway in
                var seen: [String: Int] = [:]
                for _ in 0..<150 { seen[try await Self.echo(gateway), default: 0] += 1 }
                #expect(seen.keys.sorted() == ["a", "b", "c"], "\(seen)")
                #expect(seen.values.allSatisfy { (20...80).contains($0) }, "each replica within 50 ± 30 of 150 calls (five standard deviations): \(seen)")
            }
        }
    }

    @Test func aConsistentHashKeepsAKeyOnOneReplicaAndMovesOnlyTheKeysOfOneThatLeaves() async throws {
        try await Self.withReplicas(3) { replicas in
            let upstream = "balancer: { policy: ring_hash, hash_on: { header: x-user } }\noutlier_detection: { consecutive_failures: 1 }"
            try await Self.withGateway(replicas, upstream: upstream) { gateway in
                var owners: [String: String] = [:]
                for user in 0..<60 { owners["u\(user)"] = try await Self.echo(gateway, headers: ["x-user": "u\(user)"]) }
                #expect(Set(owners.values) == ["a", "b", "c"], "60 keys land on every replica: \(owners)")
                for user in 0..<60 {
                    let again = try await Self.echo(gateway, headers: ["x-user": "u\(user)"])
                    #expect(again == owners["u\(user)"], "u\(user) stays on its replica")
                }
                replicas[2].stop()
                for user in 0..<60 {
                    let now = try await Self.echo(gateway, headers: ["x-user": "u\(user)"])
                    if owners["u\(user)"] == "c" {
                        #expect(now == "a" || now == "b", "u\(user) of the stopped replica moves to another: \(now)")
                    } else {
                        #expect(now == owners["u\(user)"], "u\(user) does not move when another replica leaves: \(now)")
                    }
                }
            }
        }
    }

    @Test func aKilledReplicaIsEjectedItsCallsSucceedElsewhereAndItReturnsAfterItsHealthChecksPass() async throws {
        try await Self.withReplicas(2) { replicas in
            let upstream = """
                health_check: { interval: 500ms, timeout: 400ms, healthy_threshold: 1, unhealthy_threshold: 2 }
                outlier_detection: { consecutive_failures: 2, base_ejection_time: 500ms }
                """
            try await Self.withGateway(replicas, upstream: upstream) { gateway in
                let a = "\(Self.hosts[0]):\(replicas[0].port)"
                var before: Set<String> = []
                for _ in 0..<20 { before.insert(try await Self.echo(gateway)) }
                #expect(before == ["a", "b"], "both replicas answer: \(before)")
                let during = try await withThrowingTaskGroup(of: [String].self) { group in
                    for _ in 0..<4 {
                        group.addTask { var answers: [String] = []; for _ in 0..<25 { answers.append(try await Self.echo(gateway)) }; return answers }
                    }
                    group.addTask {
                        var answers: [String] = []
                        for _ in 0..<5 { answers.append(try await Self.echo(gateway)) }
                        replicas[0].stop()
                        return answers
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
                #expect(during.count == 105 && during.allSatisfy { $0 == "a" || $0 == "b" }, "no call fails while a replica dies under load: \(during.filter { $0.hasPrefix("failed") })")
                var after: [String] = []
                for _ in 0..<40 { after.append(try await Self.echo(gateway)) }
                #expect(after.allSatisfy { $0 == "b" }, "every idempotent call succeeds on the live replica: \(after)")
                let out = try await Self.waitFor(gateway, a) { $0["usable"] as? Bool == false }
                #expect(out?["usable"] as? Bool == false, "the dead replica is out of rotation: \(out ?? [:])")
                #expect(out?["ejected"] as? Bool == true || out?["health"] as? String == "unhealthy", "\(out ?? [:])")
                let restarted = try await PythonServer.start("replica_server.py", ["a", Self.hosts[0], String(replicas[0].port)])
                defer { restarted.stop() }
                let back = try await Self.waitFor(gateway, a) { $0["usable"] as? Bool == true && $0["health"] as? String == "healthy" }
                #expect(back?["usable"] as? Bool == true, "the replica is back after its health check passes: \(back ?? [:])")
                var reached = false
                for _ in 0..<60 where !reached { reached = try await Self.echo(gateway) == "a" }
                #expect(reached, "calls reach the returned replica again")
            }
        }
    }

    @Test func aHostNameIsResolvedToItsAddressesWhichBecomeTheEndpoints() async throws {
        let replica = try await PythonServer.start("replica_server.py", ["a", "127.0.0.1"])
        defer { replica.stop() }
        let folder = try GatewayHarness.mappings(gatewayBase: "listen: 127.0.0.1:0\naccess_log: off")
        let probe = """
            backend:
              name: probe
              endpoints: [localhost:\(replica.port)]
              resolve_interval: 200ms
              services: [probe.v1.ProbeService]

            """
        try probe.write(to: folder.appendingPathComponent("probe.yaml"), atomically: true, encoding: .utf8)
        try await GatewayHarness.withProbe(backendAddress: "127.0.0.1:1", mappings: folder) { gateway in
            let resolved = try await Self.waitFor(gateway, "127.0.0.1:\(replica.port)") { _ in true }
            let addresses = try await Self.endpoints(gateway).keys.sorted()
            #expect(resolved != nil, "localhost became its IPv4 address: \(addresses)")
            #expect(!addresses.contains("localhost:\(replica.port)"), "the name itself is no endpoint any more: \(addresses)")
            #expect(try await Self.echo(gateway) == "a")
        }
    }

    @Test func aReloadKeepsAnUnchangedClusterAndReplacesAChangedOne() async throws {
        try await Self.withReplicas(2) { replicas in
            let folder = try GatewayHarness.mappings(gatewayBase: "listen: 127.0.0.1:0\naccess_log: off")
            func write(_ endpoints: [Int]) throws {
                let list = endpoints.map { "\(Self.hosts[$0]):\(replicas[$0].port)" }.joined(separator: ", ")
                let probe = "backend: { name: probe, endpoints: [\(list)], balancer: round_robin, services: [probe.v1.ProbeService] }\n"
                try probe.write(to: folder.appendingPathComponent("probe.yaml"), atomically: true, encoding: .utf8)
            }
            try write([0])
            let compiler = GatewayCompiler(
                protosDirectory: Fixtures.url("gateway/protos"), mappingsDirectory: folder, environment: ["PROBE_ADDR": "127.0.0.1:1"]
            )
            try await GatewayHarness.withProbe(backendAddress: "127.0.0.1:1", mappings: folder) { gateway in
                let a = "\(Self.hosts[0]):\(replicas[0].port)"
                for _ in 0..<5 { #expect(try await Self.echo(gateway) == "a") }
                guard case .success = gateway.server.reload(using: compiler) else {
                    Issue.record("an unchanged folder must reload")
                    return
                }
                #expect(try await Self.endpoints(gateway)[a]?["calls"] as? Int == 5, "the same cluster, with its counts, after the reload")
                try write([0, 1])
                guard case .success = gateway.server.reload(using: compiler) else {
                    Issue.record("a second endpoint must reload")
                    return
                }
                let endpoints = try await Self.endpoints(gateway)
                #expect(endpoints.count == 2 && endpoints[a]?["calls"] as? Int == 0, "a new cluster for the new endpoint set: \(endpoints)")
                var seen: Set<String> = []
                for _ in 0..<4 { seen.insert(try await Self.echo(gateway)) }
                #expect(seen == ["a", "b"])
            }
        }
    }

    @Test func aCallInFlightOnAClusterThatAReloadReplacesFinishes() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let backend = try await ProbeBackend.start(group: group)
        let folder = try GatewayHarness.mappings(gatewayBase: "listen: 127.0.0.1:0\naccess_log: off")
        let address = "127.0.0.1:\(backend.port)"
        func write(_ endpoints: String) throws {
            let probe = "backend: { name: probe, endpoints: [\(endpoints)], timeout: 10s, services: [probe.v1.ProbeService] }\n"
            try probe.write(to: folder.appendingPathComponent("probe.yaml"), atomically: true, encoding: .utf8)
        }
        try write(address)
        let compiler = GatewayCompiler(
            protosDirectory: Fixtures.url("gateway/protos"), mappingsDirectory: folder, environment: ["PROBE_ADDR": "127.0.0.1:1"]
        )
        try await GatewayHarness.withProbe(backendAddress: "127.0.0.1:1", mappings: folder) { gateway in
            async let slow = gateway.send("GET", "/v1/sleep?millis=1500")
            let running = try await Self.waitFor(gateway, address) { $0["in_flight"] as? Int == 1 }
            #expect(running?["in_flight"] as? Int == 1, "the call is in flight: \(running ?? [:])")
            try write("\(address), 127.0.0.2:\(backend.port)")
            guard case .success = gateway.server.reload(using: compiler) else {
                Issue.record("a second endpoint must reload")
                return
            }
            #expect(try await Self.endpoints(gateway).count == 2, "the new cluster is in place")
            let reply = try await slow
            #expect(reply.status == 200, "the call on the replaced cluster finishes: \(reply.status) \(reply.body)")
        }
        try await backend.close()
        try await group.shutdownGracefully()
    }

    @Test func aReplicaAnsweringNotServingLeavesTheRotationUntilItServesAgain() async throws {
        try await Self.withReplicas(2) { replicas in
            let upstream = "health_check: { service: probe.v1.ProbeService, interval: 500ms, timeout: 400ms, healthy_threshold: 1, unhealthy_threshold: 1 }"
            try await Self.withGateway(replicas, upstream: upstream) { gateway in
                let a = "\(Self.hosts[0]):\(replicas[0].port)"
                try await replicas[0].command("not_serving")
                let out = try await Self.waitFor(gateway, a) { $0["health"] as? String == "unhealthy" }
                #expect(out?["health"] as? String == "unhealthy" && out?["usable"] as? Bool == false, "\(out ?? [:])")
                var seen: Set<String> = []
                for _ in 0..<30 { seen.insert(try await Self.echo(gateway)) }
                #expect(seen == ["b"], "no call goes to the replica that is not serving: \(seen)")
                try await replicas[0].command("serving")
                let back = try await Self.waitFor(gateway, a) { $0["health"] as? String == "healthy" }
                #expect(back?["usable"] as? Bool == true, "\(back ?? [:])")
            }
        }
    }
}
