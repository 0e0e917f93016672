import Foundation

/// A parsed HTTP/1.1 response as the tests read it.
struct HTTPReply {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: String

    init(raw: String) throws {
        guard let split = raw.range(of: "\r\n\r\n") else { throw ParseFailure(raw: raw) }
        let lines = raw[..<split.lowerBound].components(separatedBy: "\r\n")
        guard let statusLine = lines.first, let code = statusLine.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            throw ParseFailure(raw: raw)
        }
        status = code
        headers = lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let rawBody = String(raw[split.upperBound...])
        let chunked = headers.contains { $0.name == "transfer-encoding" && $0.value.lowercased() == "chunked" }
        body = chunked ? try Self.dechunk(rawBody) : rawBody
    }

    /// A chunked body's data (RFC 9112 §7.1); throws when it is cut off before its last chunk.
    private static func dechunk(_ raw: String) throws -> String {
        var rest = Substring(raw)
        var data = ""
        while true {
            guard let lineEnd = rest.range(of: "\r\n"), let size = Int(rest[..<lineEnd.lowerBound].split(separator: ";")[0], radix: 16) else {
                throw ParseFailure(raw: raw)
            }
            rest = rest[lineEnd.upperBound...]
            if size == 0 { return data }
            guard rest.utf8.count >= size + 2 else { throw ParseFailure(raw: raw) }
            let end = rest.utf8.index(rest.startIndex, offsetBy: size)
            data += rest[..<end]
            rest = rest[rest.utf8.index(end, offsetBy: 2)...]
        }
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }

    /// The body parsed as a JSON object.
    var object: [String: Any] {
        get throws {
            guard let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
                throw ParseFailure(raw: body)
            }
            return object
        }
    }

    struct ParseFailure: Error, CustomStringConvertible {
        var raw: String
        var description: String { "not an HTTP response or JSON object: \(raw.prefix(300))" }
    }
}
