/// `tls:` in `gateway.yaml`: an HTTPS listener next to the plain one.
public struct TLSSettings: Sendable, Hashable {
    /// Which TLS versions a client may use.
    public enum MinimumVersion: String, Sendable, Hashable {
        case tls12 = "1.2"
        case tls13 = "1.3"
    }

    /// Whether clients must present a certificate signed by ``TLSSettings/clientCA``.
    public enum ClientCertificates: String, Sendable, Hashable {
        /// A client without a valid certificate cannot connect.
        case required
        /// A client may connect without one; one it presents must be valid.
        case optional
    }

    /// A certificate chain and its private key, PEM files relative to the mappings folder.
    public struct Certificate: Sendable, Hashable {
        public var chainFile: Located<String>
        public var keyFile: Located<String>

        public init(chainFile: Located<String>, keyFile: Located<String>) {
            self.chainFile = chainFile
            self.keyFile = keyFile
        }
    }

    /// The HTTPS listener's address.
    public var listen: HostPort
    /// The certificates; the first is served to clients whose SNI names none of the others.
    public var certificates: [Certificate]
    public var minimumVersion: MinimumVersion
    /// A PEM bundle of the CAs whose client certificates are accepted; `nil` asks for none.
    public var clientCA: Located<String>?
    public var clientCertificates: ClientCertificates

    public init(
        listen: HostPort,
        certificates: [Certificate],
        minimumVersion: MinimumVersion = .tls12,
        clientCA: Located<String>? = nil,
        clientCertificates: ClientCertificates = .required
    ) {
        self.listen = listen
        self.certificates = certificates
        self.minimumVersion = minimumVersion
        self.clientCA = clientCA
        self.clientCertificates = clientCertificates
    }
}
