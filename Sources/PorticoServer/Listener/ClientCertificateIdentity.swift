import NIOCore
import NIOSSL
import SwiftASN1
import X509

/// The identity of the client certificate a TLS connection verified: its subject's common name, else its
/// first DNS or URI subject alternative name.
enum ClientCertificateIdentity {
    /// The verified peer certificate's identity on `channel`, or `nil` without TLS or without a certificate.
    /// Call on the channel's event loop.
    static func of(_ channel: any Channel) -> String? {
        guard let handler = try? channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self),
              let certificate = handler.peerCertificate,
              let parsed = try? Certificate(derEncoded: certificate.toDERBytes()) else { return nil }
        let commonNames = parsed.subject.flatMap { $0 }.filter { $0.type == ASN1ObjectIdentifier.RDNAttributeType.commonName }
        if let name = commonNames.last.map({ String(describing: $0.value) }), !name.isEmpty { return name }
        let alternatives: SubjectAlternativeNames? = (try? parsed.extensions.subjectAlternativeNames) ?? nil
        for name in alternatives.map(Array.init) ?? [] {
            switch name {
            case .dnsName(let dns): return dns
            case .uniformResourceIdentifier(let uri): return uri
            default: continue
            }
        }
        return nil
    }

    /// A connection's identity, read from its TLS handler the first time a request asks for it.
    struct Cached {
        private var identity: String??

        /// The identity of `channel`'s verified client certificate (``ClientCertificateIdentity/of(_:)``), once.
        mutating func of(_ channel: any Channel) -> String? {
            if let identity { return identity }
            let read = ClientCertificateIdentity.of(channel)
            identity = .some(read)
            return read
        }
    }
}
