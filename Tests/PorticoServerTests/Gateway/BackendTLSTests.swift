import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import PorticoCore
import PorticoDemo
import PorticoHTTP2
import PorticoServer
import PorticoTesting
import Testing

/// TLS to backends: the nghttp2 client against a grpcio TLS server (a certificate checked against a CA, a
/// wrong CA refused, client certificates for mTLS), and the gateway calling a TLS backend from its mapping.
@Suite struct BackendTLSTests {
    /// A CA, a server certificate for localhost and 127.0.0.1 it signed, and a client CA with a client certificate.
    private struct Certificates {
        let folder: URL
        let authority: String
        let server: (certificate: String, key: String)
        let clientAuthority: String
        let client: (certificate: String, key: String)

        init() throws {
            folder = try Scratch.folder("backend-tls")
            let authority = try TLSCertificateMaker.authority(named: "Backend CA")
            self.authority = try authority.write(to: folder, name: "ca").certificate
            server = try TLSCertificateMaker.leaf(commonName: "localhost", dnsNames: ["localhost"], ipAddresses: [[127, 0, 0, 1]], issuer: authority)
                .write(to: folder, name: "server")
            let clientAuthority = try TLSCertificateMaker.authority(named: "Gateway client CA")
            self.clientAuthority = try clientAuthority.write(to: folder, name: "client-ca").certificate
            client = try TLSCertificateMaker.leaf(commonName: "portico", issuer: clientAuthority).write(to: folder, name: "client")
        }

        func clientConfiguration(trusting authority: String, certificate: (certificate: String, key: String)? = nil) throws -> GRPCClientConfiguration {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(authority))
            tls.applicationProtocols = ["h2"]
            if let certificate {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate.certificate).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: certificate.key, format: .pem))
            }
            var configuration = GRPCClientConfiguration()
            configuration.tls = try NIOSSLContext(configuration: tls)
            configuration.connectTimeout = .seconds(2)
            configuration.transparentRetryLimit = 0
            return configuration
        }
    }

    /// One unary call on a fresh client: the echoed text, or the status code it failed with.
    private func call(_ port: Int, _ configuration: GRPCClientConfiguration) async throws -> (message: String?, code: GRPCStatusCode?) {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let client = GRPCClient(host: "127.0.0.1", port: port, group: group, configuration: configuration)
        var result: (message: String?, code: GRPCStatusCode?) = (nil, nil)
        do {
            let response = try await client.unaryResponse("/portico.test.Echo/Unary", request: ByteBuffer(string: "over tls"))
            result.message = String(buffer: response.message)
        } catch let error as GRPCCallError {
            result.code = error.status.code
        } catch {
            result.code = .unknown
        }
        try await client.close().get()
        try await group.shutdownGracefully()
        return result
    }

    @Test func theClientChecksTheBackendsCertificate() async throws {
        let certificates = try Certificates()
        defer { try? FileManager.default.removeItem(at: certificates.folder) }
        let peer = try await PythonServer.start("grpc_test_server.py", ["--tls-cert", certificates.server.certificate, "--tls-key", certificates.server.key])
        defer { peer.stop() }
        let trusted = try await call(peer.port, try certificates.clientConfiguration(trusting: certificates.authority))
        #expect(trusted.message == "over tls")
        let untrusted = try await call(peer.port, try certificates.clientConfiguration(trusting: certificates.clientAuthority))
        #expect(untrusted.message == nil, "a certificate from an unknown CA is refused")
        #expect(untrusted.code == .unavailable)
    }

    @Test func aBackendThatAsksForClientCertificatesGetsOne() async throws {
        let certificates = try Certificates()
        defer { try? FileManager.default.removeItem(at: certificates.folder) }
        let peer = try await PythonServer.start("grpc_test_server.py", [
            "--tls-cert", certificates.server.certificate, "--tls-key", certificates.server.key, "--client-ca", certificates.clientAuthority,
        ])
        defer { peer.stop() }
        let with = try await call(peer.port, try certificates.clientConfiguration(trusting: certificates.authority, certificate: certificates.client))
        #expect(with.message == "over tls")
        let without = try await call(peer.port, try certificates.clientConfiguration(trusting: certificates.authority))
        #expect(without.message == nil, "no client certificate, no call")
        #expect(without.code == .unavailable)
    }

    @Test func theGatewayCallsATLSBackendFromItsMapping() async throws {
        let certificates = try Certificates()
        defer { try? FileManager.default.removeItem(at: certificates.folder) }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var serverTLS = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificates.server.certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: certificates.server.key, format: .pem))
        )
        serverTLS.applicationProtocols = ["h2"]
        var configuration = GRPCServerConfiguration()
        configuration.tls = try NIOSSLContext(configuration: serverTLS)
        let backend = try await ProbeBackend.start(group: group, configuration: configuration)
        let mappings = try GatewayHarness.mappings(backend: "tls: { ca: \(certificates.authority), server_name: localhost }")
        try await GatewayHarness.withProbe(backendAddress: "127.0.0.1:\(backend.port)", mappings: mappings) { gateway in
            let reply = try await gateway.send("GET", "/v1/fail/0")
            #expect(reply.status == 200, "\(reply.body)")
        }
        let wrongCA = try GatewayHarness.mappings(backend: "tls: { ca: \(certificates.clientAuthority) }")
        try await GatewayHarness.withProbe(backendAddress: "127.0.0.1:\(backend.port)", mappings: wrongCA) { gateway in
            let refused = try await gateway.send("GET", "/v1/fail/0")
            #expect(refused.status == 503, "\(refused.body)")
        }
        try await backend.close()
        try await group.shutdownGracefully()
    }
}
