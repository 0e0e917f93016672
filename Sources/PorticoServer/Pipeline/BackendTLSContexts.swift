import Foundation
import NIOSSL
import PorticoConfig
import PorticoCore

/// The TLS client contexts of the backends whose files set `tls:`, built when the configuration compiles so
/// `portico check` reports a CA bundle or client certificate that cannot be read.
enum BackendTLSContexts {
    /// One context per backend, `nil` for cleartext ones, in the order of `backends`; or the problems, each
    /// naming its file and line.
    static func make(_ backends: [BackendConfiguration], directory: String, mappingsLabel: String) -> (contexts: [NIOSSLContext?], problems: [String]) {
        var problems: [String] = []
        let contexts = backends.map { backend -> NIOSSLContext? in
            guard let tls = backend.tls else { return nil }
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.applicationProtocols = ["h2"]
            configuration.certificateVerification = .fullVerification
            do {
                if let ca = tls.caFile {
                    configuration.trustRoots = .certificates(try load(ca, in: directory, problems: &problems, mappingsLabel: mappingsLabel))
                }
                if let certificate = tls.certificateFile, let key = tls.keyFile {
                    let chain = try load(certificate, in: directory, problems: &problems, mappingsLabel: mappingsLabel)
                    configuration.certificateChain = chain.map { .certificate($0) }
                    do {
                        configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: MappingsPath.resolve(key.value, in: directory), format: .pem))
                    } catch {
                        problems.append(diagnostic(key, "cannot read the private key \(key.value): \(error)", mappingsLabel: mappingsLabel))
                        return nil
                    }
                }
                return try NIOSSLContext(configuration: configuration)
            } catch {
                if problems.isEmpty { problems.append("\(mappingsLabel)/\(backend.file): backend \"\(backend.name)\": cannot set up TLS: \(error)") }
                return nil
            }
        }
        return (contexts, problems)
    }

    private static func load(_ file: Located<String>, in directory: String, problems: inout [String], mappingsLabel: String) throws -> [NIOSSLCertificate] {
        do {
            let certificates = try NIOSSLCertificate.fromPEMFile(MappingsPath.resolve(file.value, in: directory))
            guard !certificates.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
            return certificates
        } catch {
            problems.append(diagnostic(file, "cannot read the certificates in \(file.value): \(error)", mappingsLabel: mappingsLabel))
            throw error
        }
    }

    private static func diagnostic(_ file: Located<String>, _ message: String, mappingsLabel: String) -> String {
        file.location.described(message, mappingsLabel: mappingsLabel)
    }
}
