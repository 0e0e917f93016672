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
        body = String(raw[split.upperBound...])
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
