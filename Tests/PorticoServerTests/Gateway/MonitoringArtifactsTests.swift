import Foundation
import NIOCore
import PorticoServer
import PorticoTesting
import Testing

/// The shipped Prometheus alerting rules and Grafana dashboard (`deploy/`): valid, their unit tests pass, and
/// every metric they query is one the gateway exports.
@Suite struct MonitoringArtifactsTests {
    static let alerts = Fixtures.repositoryRoot.appendingPathComponent("deploy/prometheus/portico-alerts.yml")
    static let alertTests = Fixtures.repositoryRoot.appendingPathComponent("deploy/prometheus/portico-alerts.test.yml")
    static let dashboard = Fixtures.repositoryRoot.appendingPathComponent("deploy/grafana/portico-dashboard.json")

    @Test func alertingRulesPassPromtoolsCheckAndTheirUnitTests() throws {
        let check = try PromTool.run(["check", "rules", Self.alerts.path])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("SUCCESS: 5 rules found"))
        let unitTests = try PromTool.run(["test", "rules", Self.alertTests.path])
        #expect(unitTests.status == 0, "\(unitTests.output)")
    }

    @Test func theDashboardIsGrafanaJSONWithAQueryPerPanel() throws {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.dashboard)) as? [String: Any]
        let panels = try #require(object?["panels"] as? [[String: Any]])
        #expect(panels.count >= 10)
        for panel in panels {
            let targets = panel["targets"] as? [[String: Any]] ?? []
            #expect(!targets.isEmpty, "panel \(panel["title"] ?? "?") has no query")
            #expect(targets.allSatisfy { ($0["expr"] as? String)?.contains("portico_") == true })
        }
    }

    @Test func everyMetricTheRulesAndDashboardQueryIsExported() async throws {
        let used = Self.metricNames(in: try String(contentsOf: Self.alerts, encoding: .utf8))
            .union(Self.metricNames(in: try String(contentsOf: Self.dashboard, encoding: .utf8)))
        #expect(used.count >= 15)
        try await GatewayHarness.withDemo { gateway in
            let admin = try #require(gateway.server.adminAddress?.port)
            #expect(try await gateway.send("GET", "/v1/users/u1").status == 200)
            let exposition = try await gateway.send("GET", "/metrics", port: admin).body
            let families = Set(exposition.split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("# TYPE ") else { return nil }
                return line.split(separator: " ").dropFirst(2).first.map(String.init)
            })
            for name in used {
                let family = ["_bucket", "_sum", "_count"].first { name.hasSuffix($0) }.map { String(name.dropLast($0.count)) } ?? name
                #expect(families.contains(family), "\(name) is queried but not exported")
            }
        }
    }

    private static func metricNames(in text: String) -> Set<String> {
        let pattern = try? NSRegularExpression(pattern: "portico_[a-z_]+")
        let range = NSRange(text.startIndex..., in: text)
        return Set(pattern?.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } } ?? [])
    }
}
