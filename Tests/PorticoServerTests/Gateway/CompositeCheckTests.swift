import Foundation
import PorticoServer
import PorticoTesting
import Testing

/// `portico check` on composite routes: every method, field path, value and order is checked against the
/// schema, and each mistake is reported where it was written.
@Suite struct CompositeCheckTests {
    /// The problems of the probe mappings with `composites` as a composite file.
    private func problems(_ composites: String) throws -> [String] {
        let folder = try GatewayHarness.mappings()
        defer { try? FileManager.default.removeItem(at: folder) }
        try composites.write(to: folder.appendingPathComponent("composites.yaml"), atomically: true, encoding: .utf8)
        let compiler = GatewayCompiler(
            protosDirectory: Fixtures.url("gateway/protos"), mappingsDirectory: folder, environment: ["PROBE_ADDR": "127.0.0.1:1"]
        )
        do {
            _ = try compiler.compile()
            return []
        } catch {
            return error.problems.map { $0.replacingOccurrences(of: folder.lastPathComponent + "/", with: "") }
        }
    }

    static let mistakes: [(yaml: String, message: String)] = [
        (
            "a: { get: /v1/a, parts: { p: { call: probe.v1.ProbeService.Slow, bind: { milis: query.ms } } } }",
            #"composites.yaml:2:76: composites.a.parts.p.bind.milis: probe.v1.SlowRequest: unknown field "milis""#
        ),
        (
            "a: { get: /v1/a, parts: { p: { call: probe.v1.ProbeService.Slow, bind: { millis: query } } } }",
            #"composites.yaml:2:84: composites.a.parts.p.bind.millis: expected path.<variable>, query.<name>, claims.<claim> or <part>.<field>, got "query""#
        ),
        (
            "a: { get: /v1/a, parts: { p: { call: probe.v1.ProbeService.Slow, bind: { millis: path.ms } } } }",
            #"composites.yaml:2:84: composites.a.parts.p.bind.millis: the path template has no variable "ms" (it has: none)"#
        ),
        (
            "a: { get: /v1/a, parts: { p: { call: probe.v1.ProbeService.Slow, bind: { millis: q.code } } } }",
            #"composites.yaml:2:84: composites.a.parts.p.bind.millis: no part named "q" (parts: p)"#
        ),
        (
            "a: { get: /v1/a, parts: { f: { call: probe.v1.ProbeService.Flaky }, p: { call: probe.v1.ProbeService.Slow, bind: { millis: f.key } } } }",
            #"composites.yaml:2:126: composites.a.parts.p.bind.millis: probe.v1.FlakyReply has no field "key" (proto names)"#
        ),
        (
            "a: { get: /v1/a, parts: { e: { call: probe.v1.ProbeService.Echo }, p: { call: probe.v1.ProbeService.Slow, bind: { millis: e.metadata } } } }",
            #"composites.yaml:2:125: composites.a.parts.p.bind.millis: metadata is a message; bind one of its scalar fields"#
        ),
        (
            "a: { get: /v1/a, parts: { f: { call: probe.v1.ProbeService.Flaky }, p: { call: probe.v1.ProbeService.Echo, bind: { text: f.attempts } } } }",
            "",
        ),
        (
            "a: { get: '/v1/a/{key}', parts: { f: { call: probe.v1.ProbeService.Flaky, bind: { key: path.key } }, p: { call: probe.v1.ProbeService.Download, bind: { name: f.attempts } } } }",
            "",
        ),
        (
            "a: { get: /v1/a, parts: { s: { call: probe.v1.ProbeService.Slow }, p: { call: probe.v1.ProbeService.Flaky, bind: { failures: s.millis } } } }",
            #"composites.yaml:2:128: composites.a.parts.p.bind.failures: probe.v1.SlowReply has no field "millis" (proto names)"#
        ),
        (
            "a: { get: /v1/a, parts: { f: { call: probe.v1.ProbeService.Flaky }, p: { call: probe.v1.ProbeService.Fail, bind: { code: f.attempts } } } }",
            "",
        ),
        (
            "a: { get: /v1/a, parts: { p: { call: probe.v1.ProbeService.Slow, set: { millis: soon } } } }",
            #"composites.yaml:2:83: composites.a.parts.p.set.millis: millis: expected an integer, got "soon""#
        ),
        (
            "a: { get: /v1/a, parts: { p: { call: probe.v1.ProbeService.Explode } } }",
            #"composites.yaml:2:40: composites.a.parts.p.call: method probe.v1.ProbeService.Explode is not in the schema"#
        ),
        (
            "a: { get: '/v1/a/{name}', parts: { p: { call: probe.v1.ProbeService.DownloadChunks, bind: { name: path.name } } } }",
            #"composites.yaml:2:49: composites.a.parts.p.call: probe.v1.ProbeService.DownloadChunks streams; a part calls unary methods only"#
        ),
        (
            "a: { get: /v1/a, parts: { p: { call: probe.v1.ProbeService.Slow, bind: { millis: claims.sub } } } }",
            #"composites.yaml:2:84: composites.a.parts.p.bind.millis: claims need an authenticated caller, but the route has auth: none"#
        ),
        (
            "a: { get: /v1/a, parts: { x: { call: probe.v1.ProbeService.Flaky, bind: { failures: y.attempts } }, y: { call: probe.v1.ProbeService.Flaky, bind: { failures: x.attempts } } } }",
            #"composites.yaml:2:29: composites.a.parts.x: part "x" reads answers in a cycle"#
        ),
        (
            "a: { get: /v1/a, parts: { x: { call: probe.v1.ProbeService.Flaky, required: false }, y: { call: probe.v1.ProbeService.Flaky, bind: { failures: x.attempts } } } }",
            #"composites.yaml:2:88: composites.a.parts.y: required part "y" reads optional part "x"; make both required or both optional"#
        ),
        (
            "a: { get: /v1/a, parts: { errors: { call: probe.v1.ProbeService.Slow } } }",
            #"composites.yaml:2:29: composites.a.parts.errors: "errors" is reserved and cannot name a part"#
        ),
        (
            "a: { get: '/v1/fail/{code}', parts: { p: { call: probe.v1.ProbeService.Fail, bind: { code: path.code } } } }",
            #""GET /v1/fail/{code}" (composites.yaml:2:13) conflicts with "GET /v1/fail/{code}" (protos/probe/v1/probe.proto): both are GET /v1/fail/* and match the same requests"#
        ),
    ]

    @Test(arguments: mistakes)
    func reportsTheMistakeWhereItWasWritten(yaml: String, message: String) throws {
        let found = try problems("composites:\n  " + yaml + "\n")
        if message.isEmpty {
            #expect(found == [], "fits")
        } else {
            #expect(found == [message])
        }
    }
}
