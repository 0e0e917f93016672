import Foundation
import PorticoConfig
import PorticoServer
import PorticoTesting
import Testing

/// `portico check`: one fixture folder per mistake under `Tests/Fixtures/check/`, each with its exact message.
@Suite struct CheckTests {
    static let mistakes: [(folder: String, message: String)] = [
        ("unknown-selector", #"unknown-selector/probe.yaml:6:7: probe.v1.ProbeService.Explode: unknown method: service probe.v1.ProbeService has no method "Explode""#),
        ("path-variable-not-in-request", #"path-variable-not-in-request/probe.yaml:6:7: probe.v1.ProbeService.Fail: path variable "status": message probe.v1.FailRequest has no field "status""#),
        ("body-not-a-field", #"body-not-a-field/probe.yaml:6:7: probe.v1.ProbeService.Echo: body "payload": message probe.v1.EchoRequest has no field "payload""#),
        ("rename-missing-field", #"rename-missing-field/probe.yaml:8:31: versions.v1.rename.probe.v1.EchoRequest.txt: message probe.v1.EchoRequest has no field "txt""#),
        ("duplicate-route", #""GET /v1/fail/{millis}" (duplicate-route/probe.yaml:7:7) conflicts with "GET /v1/fail/{code}" (protos/probe/v1/probe.proto): both are GET /v1/fail/* and match the same requests"#),
        ("bad-duration", #"bad-duration/probe.yaml:4:12: backend.timeout: expected a duration such as 250ms, 2s or 1m30s, got "2 seconds""#),
        ("client-streaming", #"client-streaming/probe.yaml:6:7: probe.v1.ProbeService.Collect is client-streaming: its routes need body: "*" (each NDJSON line or JSON array element of the body is one message)"#),
        ("unknown-key", #"unknown-key/probe.yaml:4:3: backend.retry_count: unknown key "retry_count" (expected one of: address, auth, balancer, circuit_breaker, endpoints, expose_errors, health_check, json, name, outlier_detection, rate_limit, resolve_interval, retries, services, timeout, tls)"#),
    ]

    @Test(arguments: mistakes)
    func reportsTheMistakeWithItsPosition(folder: String, message: String) {
        let compiler = GatewayCompiler(
            protosDirectory: Fixtures.url("gateway/protos"), mappingsDirectory: Fixtures.url("check/\(folder)"), environment: [:]
        )
        #expect(throws: GatewayCompileError.self) { try compiler.compile() }
        do {
            _ = try compiler.compile()
        } catch {
            #expect(error.problems == [message])
        }
    }

    @Test func theBundledFoldersCompile() throws {
        let snapshot = try GatewayCompiler(protosDirectory: Fixtures.protosDirectory, mappingsDirectory: Fixtures.mappingsDirectory, environment: [:]).compile()
        #expect(snapshot.routeCount == 17)
        #expect(snapshot.backends.map(\.name) == ["orders", "products", "users"])
    }

    @Test func theCommandPrintsEveryProblemAndExitsOne() async throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("portico")
        let mappings = try Scratch.folder("check")
        defer { try? FileManager.default.removeItem(at: mappings) }
        for folder in ["bad-duration", "unknown-key"] {
            try FileManager.default.copyItem(
                at: Fixtures.url("check/\(folder)/probe.yaml"), to: mappings.appendingPathComponent("\(folder).yaml")
            )
        }
        let result = try await ProcessRunner.run(binary.path, ["check", "--protos", Fixtures.url("gateway/protos").path, "--mappings", mappings.path])
        #expect(result.status == 1)
        let lines = result.standardError.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("\(mappings.lastPathComponent)/bad-duration.yaml:4:12: backend.timeout:") })
        #expect(lines.contains { $0.hasPrefix("\(mappings.lastPathComponent)/unknown-key.yaml:4:3: backend.retry_count: unknown key") })
        #expect(lines.contains { $0.contains("backend \"probe\" is already defined") })
    }
}
