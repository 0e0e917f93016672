import Crypto
import Foundation
import SwiftASN1
import X509

/// Makes P-256 certificates: the self-signed one `portico demo` serves HTTPS with, and the authorities and
/// certificates tests sign with.
package enum TLSCertificateMaker {
    /// A certificate with its private key, in PEM.
    package struct Issued: Sendable {
        package let certificate: Certificate
        package let key: P256.Signing.PrivateKey

        package var certificatePEM: String { get throws { try certificate.serializeAsPEM().pemString } }
        package var keyPEM: String { key.pemRepresentation }

        /// Writes `<name>.pem` and `<name>.key` into `directory` and returns their paths.
        package func write(to directory: URL, name: String) throws -> (certificate: String, key: String) {
            let certificateFile = directory.appendingPathComponent("\(name).pem")
            let keyFile = directory.appendingPathComponent("\(name).key")
            try certificatePEM.write(to: certificateFile, atomically: true, encoding: .utf8)
            try keyPEM.write(to: keyFile, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile.path)
            return (certificateFile.path, keyFile.path)
        }
    }

    /// A certificate authority that signs others.
    package static func authority(named name: String) throws -> Issued {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(name) }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
            Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
        }
        return Issued(certificate: try make(subject: subject, key: key, extensions: extensions, issuer: subject, issuerKey: key), key: key)
    }

    /// A certificate for `dnsNames` and `ipAddresses` (4 or 16 bytes each), signed by `issuer`, or by itself.
    package static func leaf(commonName: String, dnsNames: [String] = [], ipAddresses: [[UInt8]] = [], issuer: Issued? = nil) throws -> Issued {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(commonName) }
        let names = dnsNames.map { GeneralName.dnsName($0) } + ipAddresses.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: $0[...])) }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            SubjectAlternativeNames(names)
        }
        let certificate = try make(
            subject: subject, key: key, extensions: extensions, issuer: issuer?.certificate.subject ?? subject, issuerKey: issuer?.key ?? key
        )
        return Issued(certificate: certificate, key: key)
    }

    private static func make(
        subject: DistinguishedName, key: P256.Signing.PrivateKey, extensions: Certificate.Extensions, issuer: DistinguishedName,
        issuerKey: P256.Signing.PrivateKey
    ) throws -> Certificate {
        let now = Date()
        return try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(30 * 86_400),
            issuer: issuer,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: Certificate.PrivateKey(issuerKey)
        )
    }
}
