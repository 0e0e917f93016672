/// A JWKS URL taken apart for one HTTP/1.1 request: scheme, host, port and request target.
struct JWKSLocation: Sendable, Hashable, CustomStringConvertible {
    var isSecure: Bool
    /// The host, without brackets for IPv6.
    var host: String
    var port: Int
    /// The path and query (`/.well-known/jwks.json`).
    var target: String

    /// Parses `http://host[:port]/path` or `https://…`; `nil` for anything else (user info, fragments,
    /// bad ports).
    init?(_ text: String) {
        let rest: Substring
        if text.lowercased().hasPrefix("https://") {
            isSecure = true
            rest = text.dropFirst(8)
        } else if text.lowercased().hasPrefix("http://") {
            isSecure = false
            rest = text.dropFirst(7)
        } else {
            return nil
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let target = rest[authorityEnd...]
        guard !authority.isEmpty, !authority.contains("@"), !target.contains("#"), !text.contains(" ") else { return nil }
        var hostPart = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        let defaultPort = isSecure ? 443 : 80
        guard !hostPart.isEmpty else { return nil }
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else { return nil }
            self.port = port
        } else {
            port = defaultPort
        }
        host = String(hostPart)
        self.target = target.isEmpty ? "/" : (target.hasPrefix("?") ? "/" + target : String(target))
    }

    /// Whether the host is an IP literal, which TLS does not send as SNI.
    var isIPAddress: Bool {
        host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
    }

    /// The `Host` header: the host, bracketed for IPv6, with the port when it is not the default.
    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (isSecure ? 443 : 80) ? name : "\(name):\(port)"
    }

    /// The URL, for logs.
    var description: String {
        "\(isSecure ? "https" : "http")://\(hostHeader)\(target)"
    }
}
