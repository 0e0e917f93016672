import Foundation
import JWTKit

/// The claims of a token payload that authentication reads, decoded with jwt-kit's claim types, plus
/// every other top-level claim as a plain value for the forward map.
struct TokenClaims: Decodable {
    var issuer: IssuerClaim?
    var subject: SubjectClaim?
    var audience: AudienceClaim?
    var expiration: ExpirationClaim?
    var notBefore: NotBeforeClaim?
    var issuedAt: IssuedAtClaim?
    /// Every claim, registered or not, as text where it has a text form.
    var values: [String: ClaimValue] = [:]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: ClaimKey.self)
        issuer = try container.decodeIfPresent(IssuerClaim.self, forKey: ClaimKey("iss"))
        subject = try container.decodeIfPresent(SubjectClaim.self, forKey: ClaimKey("sub"))
        audience = try container.decodeIfPresent(AudienceClaim.self, forKey: ClaimKey("aud"))
        expiration = try container.decodeIfPresent(ExpirationClaim.self, forKey: ClaimKey("exp"))
        notBefore = try container.decodeIfPresent(NotBeforeClaim.self, forKey: ClaimKey("nbf"))
        issuedAt = try container.decodeIfPresent(IssuedAtClaim.self, forKey: ClaimKey("iat"))
        for key in container.allKeys {
            values[key.stringValue] = (try? container.decode(ClaimValue.self, forKey: key)) ?? .other
        }
    }

    /// `exp` in Unix seconds.
    var expiresAt: Double? {
        expiration?.value.timeIntervalSince1970
    }

    /// Scopes from `scope` (a space-separated string, RFC 8693 §4.2) or `scp` (a list, or a string).
    var scopes: Set<String> {
        var scopes: Set<String> = []
        for name in ["scope", "scp"] {
            switch values[name] {
            case .string(let text): scopes.formUnion(text.split(separator: " ").map(String.init))
            case .strings(let list): scopes.formUnion(list)
            default: break
            }
        }
        return scopes
    }

    /// Roles from `roles` (a list, or a single string).
    var roles: Set<String> {
        switch values["roles"] {
        case .string(let text): [text]
        case .strings(let list): Set(list)
        default: []
        }
    }

    /// The text of a claim: strings as they are, numbers and booleans in JSON form, lists of strings
    /// joined by spaces; `nil` for objects, nulls and absent claims.
    func text(of claim: String) -> String? {
        switch values[claim] {
        case .string(let text): text
        case .strings(let list): list.joined(separator: " ")
        case .number(let text): text
        default: nil
        }
    }
}

/// A claim's value as the forward map and the scope rules see it.
enum ClaimValue: Decodable {
    case string(String)
    case strings([String])
    /// A number or boolean, in JSON form.
    case number(String)
    case other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Most claims are strings or numbers: try those first, since every failed try costs an error.
        if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number))
        } else if let flag = try? container.decode(Bool.self) {
            self = .number(flag ? "true" : "false")
        } else if let list = try? container.decode([String].self) {
            self = .strings(list)
        } else {
            self = .other
        }
    }
}

/// A claim name as a coding key.
struct ClaimKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) {
        stringValue = name
    }

    init?(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        nil
    }
}
