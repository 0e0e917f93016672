/// Where a Redis server is and how to log in to it, from a `redis://[user[:password]@]host:port[/db]` URL.
///
/// The password is kept for `AUTH` only: ``description`` and every error show `***` in its place.
public struct RedisEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// The ACL user; `nil` logs in as `default` with ``password`` alone (`AUTH password`).
    public var username: String?
    public var password: String?
    /// The database `SELECT`ed on every connection.
    public var database: Int

    public init(host: String, port: Int = 6379, username: String? = nil, password: String? = nil, database: Int = 0) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    /// Parses a `redis://` URL; percent-escapes in the user and password are decoded.
    ///
    /// - Throws: ``RedisError`` with code `invalidURL` (for `rediss://` too: the client has no TLS yet).
    public init(url: String) throws(RedisError) {
        guard let schemeEnd = url.firstRange(of: "://") else {
            throw RedisError(.invalidURL, "expected redis://[user[:password]@]host:port[/db]")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        if scheme == "rediss" {
            throw RedisError(.invalidURL, "rediss:// (Redis over TLS) is not supported yet; use redis:// on a trusted network")
        }
        guard scheme == "redis" else { throw RedisError(.invalidURL, "the scheme must be redis, got \(scheme)") }
        var rest = url[schemeEnd.upperBound...]
        var database = 0
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            if !path.isEmpty {
                guard let number = Int(path), number >= 0 else { throw RedisError(.invalidURL, "the database must be a number, got \(path)") }
                database = number
            }
            rest = rest[..<slash]
        }
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                let user = credentials[..<colon]
                username = user.isEmpty ? nil : try Self.unescape(user)
                password = try Self.unescape(credentials[credentials.index(after: colon)...])
            } else {
                username = try Self.unescape(credentials)
            }
        }
        let host: Substring
        let portText: Substring?
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            portText = after.hasPrefix(":") ? after.dropFirst() : nil
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
            portText = nil
        }
        guard !host.isEmpty else { throw RedisError(.invalidURL, "the URL names no host") }
        var port = 6379
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number) else {
                throw RedisError(.invalidURL, "the port must be between 1 and 65535, got \(portText)")
            }
            port = number
        }
        self.init(host: String(host), port: port, username: username, password: password, database: database)
    }

    /// `redis://user:***@host:port/db`: the URL without its password.
    public var description: String {
        let user = username ?? ""
        let credentials = password == nil ? (username.map { "\($0)@" } ?? "") : "\(user):***@"
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "redis://\(credentials)\(shownHost):\(port)/\(database)"
    }

    private static func unescape(_ text: Substring) throws(RedisError) -> String {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let high = utf8.index(after: index)
                guard high < utf8.endIndex, utf8.index(after: high) < utf8.endIndex,
                      let value = UInt8(String(decoding: [utf8[high], utf8[utf8.index(after: high)]], as: UTF8.self), radix: 16) else {
                    throw RedisError(.invalidURL, "a percent-escape in the user or password is malformed")
                }
                bytes.append(value)
                index = utf8.index(high, offsetBy: 2)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
