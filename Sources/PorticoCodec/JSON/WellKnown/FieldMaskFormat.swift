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
            var snake = ""
            for character in jsonPath {
                if character == "_" {
                    throw JSONReadError("invalid FieldMask path \"\(jsonPath)\": a JSON path must not contain '_'")
                }
                if character.isASCII && character.isUppercase {
                    snake.append("_")
                    snake.append(contentsOf: character.lowercased())
                } else {
                    snake.append(character)
                }
            }
            paths.append(snake)
        }
        return paths
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
        var result = ""
        var afterUnderscore = false
        for character in path {
            if character.isASCII && character.isUppercase {
                throw JSONReadError("FieldMask path \"\(path)\" cannot be written in JSON: it has an upper-case letter")
            }
            if afterUnderscore {
                guard character.isASCII && character.isLowercase else {
                    throw JSONReadError("FieldMask path \"\(path)\" cannot be written in JSON: '_' must be followed by a lower-case letter")
                }
                result.append(contentsOf: character.uppercased())
                afterUnderscore = false
            } else if character == "_" {
                afterUnderscore = true
            } else {
                result.append(character)
            }
        }
        if afterUnderscore {
            throw JSONReadError("FieldMask path \"\(path)\" cannot be written in JSON: it ends with '_'")
        }
        return result
    }
}
