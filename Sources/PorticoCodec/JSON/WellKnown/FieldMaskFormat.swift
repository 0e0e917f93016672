/// The JSON string form of `google.protobuf.FieldMask`: lowerCamel paths joined by `,` (`"f.fooBar,h"`).
///
/// A path is stored in snake_case; it converts to camelCase only when the conversion round-trips, so a
/// stored path with an upper-case letter or a `_` not followed by a lower-case letter cannot be written, and
/// a JSON path holding `_` cannot be read.
enum FieldMaskFormat {
    /// The stored (snake_case) paths of a JSON FieldMask string; `""` is the empty mask.
    static func parse(_ text: String) throws(JSONReadError) -> [String] {
        if text.isEmpty { return [] }
        var paths: [String] = []
        for jsonPath in text.split(separator: ",", omittingEmptySubsequences: false) {
            paths.append(try snakeCase(jsonPath))
        }
        return paths
    }

    /// One JSON path in snake_case. ASCII text (every real path) is converted byte by byte; other text goes
    /// character by character, so a letter with a combining mark stays one character.
    private static func snakeCase(_ jsonPath: Substring) throws(JSONReadError) -> String {
        if jsonPath.utf8.allSatisfy({ $0 < 0x80 }) {
            var snake: [UInt8] = []
            snake.reserveCapacity(jsonPath.utf8.count + 4)
            for byte in jsonPath.utf8 {
                if byte == UInt8(ascii: "_") { throw underscoreInPathError(jsonPath) }
                if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") {
                    snake.append(UInt8(ascii: "_"))
                    snake.append(byte + 32)
                } else {
                    snake.append(byte)
                }
            }
            return String(decoding: snake, as: UTF8.self)
        }
        var snake = ""
        for character in jsonPath {
            if character == "_" { throw underscoreInPathError(jsonPath) }
            if character.isASCII && character.isUppercase {
                snake.append("_")
                snake.append(contentsOf: character.lowercased())
            } else {
                snake.append(character)
            }
        }
        return snake
    }

    /// The JSON string of stored paths, or an error naming the first path that cannot be converted.
    static func format(_ paths: [String]) throws(JSONReadError) -> String {
        var jsonPaths: [String] = []
        jsonPaths.reserveCapacity(paths.count)
        for path in paths {
            jsonPaths.append(try camelCase(path))
        }
        return jsonPaths.joined(separator: ",")
    }

    private static func camelCase(_ path: String) throws(JSONReadError) -> String {
        if path.utf8.allSatisfy({ $0 < 0x80 }) {
            return try asciiCamelCase(path)
        }
        var result = ""
        var afterUnderscore = false
        for character in path {
            if character.isASCII && character.isUppercase {
                throw upperCaseError(path)
            }
            if afterUnderscore {
                guard character.isASCII && character.isLowercase else { throw underscoreError(path) }
                result.append(contentsOf: character.uppercased())
                afterUnderscore = false
            } else if character == "_" {
                afterUnderscore = true
            } else {
                result.append(character)
            }
        }
        if afterUnderscore { throw trailingUnderscoreError(path) }
        return result
    }

    /// ``camelCase(_:)`` for ASCII text (every real path), byte by byte.
    private static func asciiCamelCase(_ path: String) throws(JSONReadError) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(path.utf8.count)
        var afterUnderscore = false
        for byte in path.utf8 {
            let isUpper = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
            if isUpper { throw upperCaseError(path) }
            if afterUnderscore {
                guard byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") else { throw underscoreError(path) }
                result.append(byte - 32)
                afterUnderscore = false
            } else if byte == UInt8(ascii: "_") {
                afterUnderscore = true
            } else {
                result.append(byte)
            }
        }
        if afterUnderscore { throw trailingUnderscoreError(path) }
        return String(decoding: result, as: UTF8.self)
    }

    private static func underscoreInPathError(_ jsonPath: Substring) -> JSONReadError {
        JSONReadError("invalid FieldMask path \"\(jsonPath)\": a JSON path must not contain '_'")
    }

    private static func upperCaseError(_ path: String) -> JSONReadError {
        JSONReadError("FieldMask path \"\(path)\" cannot be written in JSON: it has an upper-case letter")
    }

    private static func underscoreError(_ path: String) -> JSONReadError {
        JSONReadError("FieldMask path \"\(path)\" cannot be written in JSON: '_' must be followed by a lower-case letter")
    }

    private static func trailingUnderscoreError(_ path: String) -> JSONReadError {
        JSONReadError("FieldMask path \"\(path)\" cannot be written in JSON: it ends with '_'")
    }
}
