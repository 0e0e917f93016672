import Foundation
import NIOCore
import PorticoServer
import PorticoTesting
import Testing

/// A real Prometheus server scrapes the demo gateway's admin listener and loads the shipped alerting rules.
@Suite struct PrometheusScrapeTests {
    @Test func prometheusScrapesTheGatewayAndLoadsTheAlertingRules() async throws {
        try await GatewayHarness.withDemo { gateway in
            let admin = try #require(gateway.server.adminAddress?.port)
            let rules = Fixtures.repositoryRoot.appendingPathComponent("deploy/prometheus/portico-alerts.yml").path
            let prometheus = try await PrometheusServer.start(configuration: """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files: ["\(rules)"]
                scrape_configs:
                  - job_name: portico
                    static_configs:
                      - targets: ["127.0.0.1:\(admin)"]

                """)
            defer { prometheus.stop() }
            for _ in 0..<2 { #expect(try await gateway.send("GET", "/v1/users/u1").status == 200) }

            let query = #"portico_requests_total{job="portico",route="/v1/users/{user_id}",status="200"}"#
            let scraped = try await Self.poll(prometheus, query: query, group: gateway.group) { $0 == "2" }
            #expect(scraped == "2", "Prometheus stores the gateway's counter as served")
            #expect(try await Self.poll(prometheus, query: #"up{job="portico"}"#, group: gateway.group) { $0 == "1" } == "1")

            let loaded = try await Self.get(prometheus, "/api/v1/rules", group: gateway.group)
            #expect(loaded.contains(#""name":"PorticoHighErrorRatio""#))
            #expect(loaded.contains(#""name":"PorticoSheddingLoad""#))
            #expect(!loaded.contains(#""health":"err""#), "every rule evaluates against the scraped series")
        }
    }

    /// Queries until `done` accepts the first result's value, or 60 tries; returns the last value seen. The
    /// server is ready already; what is awaited is its next scrape (once a second), which nothing can signal.
    private static func poll(
        _ prometheus: PrometheusServer, query: String, group: any EventLoopGroup, until done: (String) -> Bool
    ) async throws -> String? {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
        var last: String?
        for _ in 0..<60 {
            let body = try await get(prometheus, "/api/v1/query?query=\(encoded)", group: group)
            last = value(in: body)
            if let last, done(last) { return last }
            try await Task.sleep(for: .milliseconds(250))
        }
        return last
    }

    /// The value of the first sample of a `/api/v1/query` answer.
    private static func value(in body: String) -> String? {
        guard let data = body.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let result = (object["data"] as? [String: Any])?["result"] as? [[String: Any]],
              let sample = result.first?["value"] as? [Any]
        else { return nil }
        return sample.last as? String
    }

    /// One GET over HTTP/1.0, so the answer ends with the connection instead of being chunked.
    private static func get(_ prometheus: PrometheusServer, _ target: String, group: any EventLoopGroup) async throws -> String {
        let raw = try await RawHTTPClient.exchange(
            port: prometheus.port, request: "GET \(target) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", group: group
        )
        return try HTTPReply(raw: raw).body
    }
}
