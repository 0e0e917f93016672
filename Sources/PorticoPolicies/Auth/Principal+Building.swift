import JWTKit
import PorticoConfig

extension Principal {
    /// The principal of a verified token; `forward` picks the claims sent to the backend.
    init(claims: TokenClaims, forward: [ClaimForwarding]) {
        let clientID = claims.text(of: "client_id") ?? claims.text(of: "azp")
        self.init(
            kind: .jwt,
            subject: claims.subject ?? clientID ?? "",
            clientID: clientID,
            plan: claims.text(of: "plan"),
            scopes: claims.scopes,
            roles: claims.roles,
            metadata: forward.compactMap { entry in
                claims.text(of: entry.claim).map { (entry.header, Self.metadataValue($0)) }
            }
        )
    }

    /// The principal of a known API key: `sub` and `client_id` are its id, `scope` its scopes, `roles`
    /// its roles and `plan` its plan, for the forward map.
    init(apiKey entry: APIKeyEntry, forward: [ClaimForwarding]) {
        let attributes: [String: String] = [
            "sub": entry.id,
            "client_id": entry.id,
            "scope": entry.scopes.joined(separator: " "),
            "scp": entry.scopes.joined(separator: " "),
            "roles": entry.roles.joined(separator: " "),
            "plan": entry.plan ?? "",
        ]
        self.init(
            kind: .apiKey,
            subject: entry.id,
            clientID: entry.id,
            plan: entry.plan,
            scopes: Set(entry.scopes),
            roles: Set(entry.roles),
            metadata: forward.compactMap { item in
                guard let value = attributes[item.claim], !value.isEmpty else { return nil }
                return (item.header, Self.metadataValue(value))
            }
        )
    }

    /// Whether the principal holds every scope of `requirement` and one of its roles, if it names any.
    func satisfies(_ requirement: AuthRequirement) -> Bool {
        requirement.scopes.allSatisfy(scopes.contains)
            && (requirement.roles.isEmpty || requirement.roles.contains(where: roles.contains))
    }

    /// A claim's text as an ASCII metadata value: bytes outside printable ASCII, and `%`, are
    /// percent-encoded, so no claim can inject a line break or a non-ASCII byte into metadata.
    static func metadataValue(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 > 0x7E || $0 == UInt8(ascii: "%") }) else { return text }
        var encoded = ""
        for byte in text.utf8 {
            if byte < 0x20 || byte > 0x7E || byte == UInt8(ascii: "%") {
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            } else {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return encoded
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
