/// `backend.tls:` in a backend file: call the backend over TLS (`https`, ALPN `h2`), checking its certificate.
public struct BackendTLS: Sendable, Hashable {
    /// A PEM bundle of the CAs the backend's certificate must chain to; the system's trust store when `nil`.
    public var caFile: Located<String>?
    /// The name the certificate must be for, also sent as SNI; the backend's host when `nil` (an IP address
    /// is then checked against the certificate's IP addresses).
    public var serverName: String?
    /// A client certificate chain and its key (PEM), for a backend that asks for mTLS.
    public var certificateFile: Located<String>?
    public var keyFile: Located<String>?

    public init(caFile: Located<String>? = nil, serverName: String? = nil, certificateFile: Located<String>? = nil, keyFile: Located<String>? = nil) {
        self.caFile = caFile
        self.serverName = serverName
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }
}
