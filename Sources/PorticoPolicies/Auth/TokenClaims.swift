/// The claims of a token payload that authentication reads, plus every top-level claim as a plain value for
/// the forward map, read with ``TokenJSON``.
///
/// The registered claims must have their RFC 7519 types when present (`null` counts as absent): `iss` and `sub`
/// strings, `aud` a string or a list of strings, `exp`, `nbf` and `iat` numbers of seconds.
struct TokenClaims {
    var issuer: String?
    var subject: String?
    var audience: [String]?
    /// `exp` in Unix seconds.
    var expiresAt: Double?
    var notBefore: Double?
    var issuedAt: Double?
    /// Every claim, registered or not, as text where it has a text form.
    var values: [String: ClaimValue] = [:]

    /// - Throws: when `json` is not an object, or a registered claim has another type.
    init(json: [UInt8]) throws(TokenJSON.Malformed) {
        let members = try TokenJSON.object(json)
        func string(_ name: String) throws(TokenJSON.Malformed) -> String? {
            switch members[name] {
            case nil, .null?: nil
            case .string(let text)?: text
            default: throw TokenJSON.Malformed()
            }
        }
        func seconds(_ name: String) throws(TokenJSON.Malformed) -> Double? {
            switch members[name] {
            case nil, .null?: nil
            case .number(let value, _)?: value
            default: throw TokenJSON.Malformed()
            }
        }
        issuer = try string("iss")
        subject = try string("sub")
        switch members["aud"] {
        case nil, .null?: audience = nil
        case .string(let text)?: audience = [text]
        case .array(let list)?:
            audience = try list.map { element throws(TokenJSON.Malformed) in
                guard case .string(let text) = element else { throw TokenJSON.Malformed() }
                return text
            }
        default: throw TokenJSON.Malformed()
        }
        expiresAt = try seconds("exp")
        notBefore = try seconds("nbf")
        issuedAt = try seconds("iat")
        values = members.mapValues(ClaimValue.init)
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
enum ClaimValue {
    case string(String)
    case strings([String])
    /// A number or boolean, in JSON form.
    case number(String)
    case other

    init(_ value: TokenJSON.Value) {
        switch value {
        case .string(let text):
            self = .string(text)
        case .number(let number, _):
            self = .number(number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number))
        case .bool(let flag):
            self = .number(flag ? "true" : "false")
        case .array(let list):
            let texts = list.compactMap { if case .string(let text) = $0 { text } else { nil } }
            self = texts.count == list.count ? .strings(texts) : .other
        case .null, .object:
            self = .other
        }
    }
}
