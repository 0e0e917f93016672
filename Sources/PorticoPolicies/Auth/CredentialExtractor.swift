import NIOHTTP1

/// Finds the credentials of a request where `auth:` says they travel: a bearer token in a header, a
/// cookie or a query parameter, and an API key in a header or a query parameter.
struct CredentialExtractor: Sendable {
    let token: TokenSource?
    let apiKeyHeader: String?
    let apiKeyQuery: String?

    /// Where tokens are looked for.
    struct TokenSource: Sendable {
        var header: String
        var cookie: String?
        var query: String?
    }

    /// The bearer token, or `nil` when none was sent where tokens are looked for.
    func bearerToken(headers: HTTPHeaders, query: Substring?) -> Substring? {
        guard let token else { return nil }
        for value in headers[token.header] {
            if let credential = Self.bearerCredential(value, requireScheme: token.header == "authorization") {
                return credential
            }
        }
        if let cookie = token.cookie, let value = Self.cookie(named: cookie, in: headers) {
            return value
        }
        if let name = token.query, let query, let value = Self.queryParameter(named: name, in: query) {
            return value
        }
        return nil
    }

    /// The API key, or `nil` when none was sent.
    func apiKey(headers: HTTPHeaders, query: Substring?) -> Substring? {
        if let header = apiKeyHeader, let value = headers.first(name: header) {
            let trimmed = value.trimmingSpaces()
            if !trimmed.isEmpty { return trimmed }
        }
        if let name = apiKeyQuery, let query, let value = Self.queryParameter(named: name, in: query) {
            return value
        }
        return nil
    }

    /// The credential of `Bearer <token>`; other headers than `Authorization` may carry the bare token.
    static func bearerCredential(_ value: String, requireScheme: Bool) -> Substring? {
        let trimmed = value.trimmingSpaces()
        let scheme = "bearer "
        if trimmed.count > scheme.count, trimmed.prefix(scheme.count).lowercased() == scheme {
            let credential = trimmed.dropFirst(scheme.count).trimmingSpaces()
            return credential.isEmpty ? nil : credential
        }
        if requireScheme || trimmed.isEmpty { return nil }
        return trimmed
    }

    /// The value of cookie `name` in the `Cookie` headers (RFC 6265 §5.4: `a=b; c=d`).
    static func cookie(named name: String, in headers: HTTPHeaders) -> Substring? {
        for header in headers["cookie"] {
            for pair in header.split(separator: ";") {
                let trimmed = pair.trimmingSpaces()
                guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals] == name else { continue }
                var value = trimmed[trimmed.index(after: equals)...]
                if value.count >= 2, value.first == "\"", value.last == "\"" {
                    value = value.dropFirst().dropLast()
                }
                if !value.isEmpty { return value }
            }
        }
        return nil
    }

    /// The value of query parameter `name`, percent-decoded; `nil` when absent or empty.
    static func queryParameter(named name: String, in query: Substring) -> Substring? {
        for pair in query.split(separator: "&") {
            guard let equals = pair.firstIndex(of: "="), pair[..<equals] == name else { continue }
            let raw = pair[pair.index(after: equals)...]
            guard !raw.isEmpty else { return nil }
            guard raw.contains(where: { $0 == "%" || $0 == "+" }) else { return raw }
            return percentDecoded(raw).map { Substring($0) }
        }
        return nil
    }

    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension StringProtocol where SubSequence == Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[start...end]
    }
}
