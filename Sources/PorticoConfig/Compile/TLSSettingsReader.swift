/// Reads `tls:`: `{ listen, certificates: [{ cert, key }], min_version: "1.2" | "1.3", client_ca,
/// client_certificates: required | optional }`.
package enum TLSSettingsReader {
    package static func read(_ node: ConfigNode) -> TLSSettings? {
        guard let fields = node.fields(allowed: ["listen", "certificates", "min_version", "client_ca", "client_certificates"]) else {
            return nil
        }
        guard let listen = fields["listen"].flatMap(GatewayFileReader.address) else {
            if fields["listen"] == nil { node.log.report("tls needs listen: the HTTPS address (host:port)", at: node.location) }
            return nil
        }
        var certificates: [TLSSettings.Certificate] = []
        for entry in fields["certificates"]?.elements() ?? [] {
            guard let pair = entry.fields(allowed: ["cert", "key"]) else { continue }
            guard let chain = pair["cert"]?.string(), let key = pair["key"]?.string() else {
                entry.log.report("a certificate needs cert (the PEM chain) and key (its PEM private key)", at: entry.location)
                continue
            }
            certificates.append(TLSSettings.Certificate(chainFile: chain, keyFile: key))
        }
        if certificates.isEmpty {
            node.log.report("tls needs certificates: at least one { cert, key }", at: fields["certificates"]?.location ?? node.location)
            return nil
        }
        var settings = TLSSettings(listen: listen, certificates: certificates, clientCA: fields["client_ca"]?.string())
        if let text = fields["min_version"]?.string() {
            if let version = TLSSettings.MinimumVersion(rawValue: text.value) {
                settings.minimumVersion = version
            } else {
                node.log.report("min_version must be \"1.2\" or \"1.3\", got \"\(text.value)\"", at: text.location)
            }
        }
        if let text = fields["client_certificates"]?.string() {
            if let mode = TLSSettings.ClientCertificates(rawValue: text.value) {
                settings.clientCertificates = mode
            } else {
                node.log.report("client_certificates must be required or optional, got \"\(text.value)\"", at: text.location)
            }
            if settings.clientCA == nil { node.log.report("client_certificates needs client_ca", at: text.location) }
        }
        return settings
    }
}
