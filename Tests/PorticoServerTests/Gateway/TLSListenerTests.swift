import Foundation
import NIOCore
import PorticoDemo
import PorticoServer
import PorticoTesting
import Testing

/// The HTTPS listener against Python's ssl client over real sockets: certificates chosen by SNI, TLS 1.2 and
/// 1.3, ALPN, client certificates (mTLS) accepted and refused, and a certificate swapped by a reload.
@Suite struct TLSListenerTests {
    /// Certificates signed by a test authority, written into a mappings folder.
    private struct Certificates {
        let folder: URL
        let authority: String
        let clientCertificate: String
        let clientKey: String

        init(routes: String = "") throws {
            folder = try GatewayHarness.mappings(routes: routes)
            let authority = try TLSCertificateMaker.authority(named: "Portico test CA")
            self.authority = try authority.write(to: folder, name: "ca").certificate
            _ = try TLSCertificateMaker.leaf(commonName: "alpha.test", dnsNames: ["alpha.test"], issuer: authority).write(to: folder, name: "alpha")
            _ = try TLSCertificateMaker.leaf(commonName: "beta.test", dnsNames: ["beta.test", "*.beta.test"], issuer: authority)
                .write(to: folder, name: "beta")
            let clientAuthority = try TLSCertificateMaker.authority(named: "Portico test client CA")
            _ = try clientAuthority.write(to: folder, name: "client-ca")
            let client = try TLSCertificateMaker.leaf(commonName: "partner-42", issuer: clientAuthority).write(to: folder, name: "client")
            clientCertificate = client.certificate
            clientKey = client.key
        }

        func gateway(_ tls: String, extra: String = "") throws {
            let text = """
                listen: 127.0.0.1:0
                access_log: off
                tls:
                  listen: 127.0.0.1:0
                  certificates:
                    - { cert: alpha.pem, key: alpha.key }
                    - { cert: beta.pem, key: beta.key }
                \(tls.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
                \(extra)
                """
            try text.write(to: folder.appendingPathComponent("gateway.yaml"), atomically: true, encoding: .utf8)
        }
    }

    private func connect(_ gateway: GatewayHarness, ca: String, _ cases: [[String: Any]]) async throws -> [[String: Any]] {
        let port = try #require(gateway.server.secureAddress?.port)
        let input = try JSONSerialization.data(withJSONObject: ["port": port, "ca": ca, "cases": cases])
        let output = try await PythonPeer.runScript("tls_client.py", input: input)
        return try #require(try JSONSerialization.jsonObject(with: output) as? [[String: Any]])
    }

    @Test func theCertificateFollowsSNIAndBothVersionsWork() async throws {
        let certificates = try Certificates()
        try certificates.gateway("")
        try await GatewayHarness.withProbe(mappings: certificates.folder) { gateway in
            let results = try await connect(gateway, ca: certificates.authority, [
                ["sni": "alpha.test", "path": "/v1/slow"],
                ["sni": "beta.test", "path": "/v1/slow"],
                ["sni": "www.beta.test", "path": "/v1/slow", "version": "1.2"],
                ["sni": "unknown.test", "path": "/v1/slow", "version": "1.3"],
            ])
            #expect(results.map { $0["common_name"] as? String } == ["alpha.test", "beta.test", "beta.test", "alpha.test"], "\(results)")
            #expect(results.map { $0["status"] as? Int } == [200, 200, 200, 200])
            #expect(results[2]["version"] as? String == "TLSv1.2")
            #expect(results[3]["version"] as? String == "TLSv1.3")
            #expect(results[0]["alpn"] as? String == "h2", "h2 is preferred; a client that sends HTTP/1.1 anyway is still answered")
        }
    }

    @Test func aClientOfferingOnlyHTTP1NegotiatesIt() async throws {
        let certificates = try Certificates()
        try certificates.gateway("")
        try await GatewayHarness.withProbe(mappings: certificates.folder) { gateway in
            let results = try await connect(gateway, ca: certificates.authority, [["sni": "alpha.test", "path": "/v1/slow", "alpn": ["http/1.1"]]])
            #expect(results.first?["alpn"] as? String == "http/1.1", "\(results)")
            #expect(results.first?["status"] as? Int == 200)
        }
    }

    @Test func requiredClientCertificatesAreCheckedAgainstTheCA() async throws {
        let certificates = try Certificates()
        try certificates.gateway("client_ca: client-ca.pem")
        try await GatewayHarness.withProbe(mappings: certificates.folder) { gateway in
            let results = try await connect(gateway, ca: certificates.authority, [
                ["sni": "alpha.test", "path": "/v1/slow", "cert": certificates.clientCertificate, "key": certificates.clientKey],
                ["sni": "alpha.test", "path": "/v1/slow"],
            ])
            #expect(results[0]["status"] as? Int == 200, "\(results)")
            #expect(results[1]["status"] == nil, "no certificate, no request: \(results[1])")
            #expect(results[1]["error"] != nil)
        }
    }

    @Test func optionalClientCertificatesLetClientsWithoutOneIn() async throws {
        let certificates = try Certificates()
        try certificates.gateway("client_ca: client-ca.pem\nclient_certificates: optional")
        try await GatewayHarness.withProbe(mappings: certificates.folder) { gateway in
            let results = try await connect(gateway, ca: certificates.authority, [["sni": "alpha.test", "path": "/v1/slow"]])
            #expect(results[0]["status"] as? Int == 200, "\(results)")
        }
    }

    @Test func aReloadServesTheNewCertificateToNewConnections() async throws {
        let certificates = try Certificates()
        try certificates.gateway("")
        try await GatewayHarness.withProbe(mappings: certificates.folder) { gateway in
            let before = try await connect(gateway, ca: certificates.authority, [["sni": "alpha.test", "path": "/v1/slow"]])
            let authority = try TLSCertificateMaker.authority(named: "Portico test CA 2")
            let newAuthority = try authority.write(to: certificates.folder, name: "ca2").certificate
            _ = try TLSCertificateMaker.leaf(commonName: "alpha.test", dnsNames: ["alpha.test"], issuer: authority)
                .write(to: certificates.folder, name: "alpha")
            let compiler = GatewayCompiler(
                protosDirectory: Fixtures.url("gateway/protos"), mappingsDirectory: certificates.folder, environment: ["PROBE_ADDR": "127.0.0.1:1"]
            )
            guard case .success = gateway.server.reload(using: compiler) else {
                Issue.record("the reload failed")
                return
            }
            let after = try await connect(gateway, ca: newAuthority, [["sni": "alpha.test", "path": "/v1/fail/0"]])
            #expect(after[0]["common_name"] as? String == "alpha.test", "\(after)")
            #expect(after[0]["serial"] as? String != before[0]["serial"] as? String)
        }
    }

    @Test func checkReportsAnUnreadableCertificate() throws {
        let certificates = try Certificates()
        try certificates.gateway("")
        try FileManager.default.removeItem(at: certificates.folder.appendingPathComponent("beta.key"))
        let compiler = GatewayCompiler(protosDirectory: Fixtures.url("gateway/protos"), mappingsDirectory: certificates.folder, environment: ["PROBE_ADDR": "127.0.0.1:1"])
        #expect(throws: GatewayCompileError.self) { try compiler.compile() }
        do {
            _ = try compiler.compile()
        } catch {
            #expect(error.problems.count == 1)
            #expect(error.problems.first?.contains("gateway.yaml:7:") == true, "\(error.problems)")
            #expect(error.problems.first?.contains("cannot use the certificate beta.pem with the key beta.key") == true)
        }
    }

    @Test func anMTLSRouteTakesTheCertificateAsItsCaller() async throws {
        let certificates = try Certificates(routes: "  - selector: probe.v1.ProbeService.Echo\n    auth: mtls")
        try certificates.gateway("client_ca: client-ca.pem\nclient_certificates: optional", extra: "auth: { forward: { sub: x-client-subject } }")
        try await GatewayHarness.withProbe(mappings: certificates.folder) { gateway in
            let results = try await connect(gateway, ca: certificates.authority, [
                ["sni": "alpha.test", "path": "/v1/echo", "method": "POST", "body": "{}", "cert": certificates.clientCertificate, "key": certificates.clientKey],
                ["sni": "alpha.test", "path": "/v1/echo", "method": "POST", "body": "{}"],
            ])
            #expect(results[0]["status"] as? Int == 200, "\(results)")
            #expect((results[0]["body"] as? String)?.contains(#""x-client-subject":"partner-42""#) == true, "\(results[0])")
            #expect(results[1]["status"] as? Int == 403)
            #expect((results[1]["body"] as? String)?.contains("this route needs a client certificate") == true)
        }
    }

    @Test func anMTLSRouteTakesTheCertificateOverHTTP2Too() async throws {
        let certificates = try Certificates(routes: "  - selector: probe.v1.ProbeService.Echo\n    auth: mtls")
        try certificates.gateway("client_ca: client-ca.pem\nclient_certificates: optional", extra: "auth: { forward: { sub: x-client-subject } }")
        try await GatewayHarness.withProbe(mappings: certificates.folder) { gateway in
            let port = try #require(gateway.server.secureAddress?.port)
            let curl = try #require(ProcessRunner.executable(named: "curl"))
            let common = [
                "-s", "-S", "--max-time", "20", "--http2", "--resolve", "alpha.test:\(port):127.0.0.1", "--cacert", certificates.authority,
                "-H", "content-type: application/json", "--data", "{}", "-w", "\n%{http_version} %{http_code}", "https://alpha.test:\(port)/v1/echo",
            ]
            let with = String(decoding: try await ProcessRunner.output(curl, common + ["--cert", certificates.clientCertificate, "--key", certificates.clientKey]), as: UTF8.self)
            #expect(with.hasSuffix("\n2 200"), "\(with)")
            #expect(with.contains(#""x-client-subject":"partner-42""#), "\(with)")
            let without = String(decoding: try await ProcessRunner.output(curl, common), as: UTF8.self)
            #expect(without.hasSuffix("\n2 403"), "\(without)")
        }
    }
}
