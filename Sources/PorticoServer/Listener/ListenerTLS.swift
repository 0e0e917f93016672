import Foundation
import NIOCore
import NIOSSL
import PorticoConfig
import SwiftASN1
import X509

/// The HTTPS listener's TLS: its certificates (one chosen by the client's SNI), the TLS versions, ALPN
/// `h2` and `http/1.1`, and optionally client certificates checked against a CA bundle (mTLS).
///
/// Built when the configuration compiles, so `portico check` reports a missing or unreadable file, and built
/// again on every reload: new connections take the new certificates, open ones keep theirs.
package struct ListenerTLS: Sendable {
    /// The server context new connections handshake with.
    package let context: NIOSSLContext
    /// The address the HTTPS listener binds.
    package let listen: HostPort

    /// - Parameter directory: where relative file names are read from (the mappings folder).
    /// - Throws: a message per file that cannot be read or used, naming it.
    package init(settings: TLSSettings, directory: String) throws(GatewayCompileError) {
        var problems: [String] = []
        var identities: [(names: [String], chain: [NIOSSLCertificate], key: NIOSSLPrivateKey)] = []
        for certificate in settings.certificates {
            let chainPath = MappingsPath.resolve(certificate.chainFile.value, in: directory)
            let keyPath = MappingsPath.resolve(certificate.keyFile.value, in: directory)
            do {
                let chain = try NIOSSLCertificate.fromPEMFile(chainPath)
                guard !chain.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
                let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
                identities.append((try Self.names(of: chain[0]), chain, key))
            } catch {
                problems.append(certificate.chainFile.location.diagnostic(
                    "cannot use the certificate \(certificate.chainFile.value) with the key \(certificate.keyFile.value): \(error)"
                ).description)
            }
        }
        var configuration: TLSConfiguration?
        if let first = identities.first {
            var tls = TLSConfiguration.makeServerConfiguration(certificateChain: first.chain.map { .certificate($0) }, privateKey: .privateKey(first.key))
            tls.minimumTLSVersion = settings.minimumVersion == .tls13 ? .tlsv13 : .tlsv12
            tls.applicationProtocols = ["h2", "http/1.1"]
            if let clientCA = settings.clientCA {
                let path = MappingsPath.resolve(clientCA.value, in: directory)
                do {
                    tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(path))
                    tls.certificateVerification = settings.clientCertificates == .required ? .noHostnameVerification : .optionalVerification
                } catch {
                    problems.append(clientCA.location.diagnostic("cannot read the client CA bundle \(clientCA.value): \(error)").description)
                }
            }
            if identities.count > 1 {
                let choices = identities.map { identity in
                    (names: identity.names, chain: identity.chain.map { NIOSSLCertificateSource.certificate($0) }, key: NIOSSLPrivateKeySource.privateKey(identity.key))
                }
                tls.sslContextCallback = { values, promise in
                    var change = NIOSSLContextConfigurationOverride()
                    if let host = values.serverHostname?.lowercased(), let match = choices.dropFirst().first(where: { Self.matches(host, names: $0.names) }) {
                        change.certificateChain = match.chain
                        change.privateKey = match.key
                    }
                    promise.succeed(change)
                }
            }
            configuration = tls
        }
        guard problems.isEmpty, let configuration else { throw GatewayCompileError(problems: problems) }
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw GatewayCompileError(problems: ["tls: cannot set up TLS with these certificates: \(error)"])
        }
        listen = settings.listen
    }

    /// The DNS names a certificate is for: its subject alternative names, else its common name.
    private static func names(of certificate: NIOSSLCertificate) throws -> [String] {
        let parsed = try Certificate(derEncoded: try certificate.toDERBytes())
        let alternatives = try parsed.extensions.subjectAlternativeNames?.compactMap { name -> String? in
            if case .dnsName(let dns) = name { return dns.lowercased() }
            return nil
        } ?? []
        if !alternatives.isEmpty { return alternatives }
        return parsed.subject.flatMap { $0 }.filter { $0.type == ASN1ObjectIdentifier.RDNAttributeType.commonName }.map { String(describing: $0.value).lowercased() }
    }

    /// Whether `host` is one of `names`, a `*.` name matching exactly one leading label.
    static func matches(_ host: String, names: [String]) -> Bool {
        names.contains { name in
            if name.hasPrefix("*.") {
                let suffix = name.dropFirst(1)
                return host.hasSuffix(suffix) && !host.dropLast(suffix.count).contains(".") && host.count > suffix.count
            }
            return name == host
        }
    }
}
