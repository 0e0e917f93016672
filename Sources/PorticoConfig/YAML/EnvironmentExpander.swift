import Foundation

/// Expands `${VAR}`, `${VAR:-default}` and `$$` in mapping-file strings.
///
/// `${VAR:-default}` uses the default when `VAR` is unset or empty, as the shell does; `${VAR}` with
/// `VAR` unset is an error, so a missing secret or address never becomes an empty string silently.
public struct EnvironmentExpander: Sendable {
    /// Why a string could not be expanded.
    public enum Failure: Error, Equatable, Sendable {
        case unset(String)
        case unterminated
        case invalidName(String)
    }

    public var environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// The string with every reference replaced.
    ///
    /// - Throws: ``Failure`` for an unset variable without default, an unterminated `${`, or a bad name.
    public func expand(_ text: String) throws(Failure) -> String {
        guard text.contains("$") else { return text }
        var output = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            guard character == "$", next < text.endIndex else {
                output.append(character)
                index = next
                continue
            }
            if text[next] == "$" {
                output.append("$")
                index = text.index(after: next)
            } else if text[next] == "{" {
                guard let close = text[next...].firstIndex(of: "}") else { throw .unterminated }
                output += try resolve(String(text[text.index(after: next)..<close]))
                index = text.index(after: close)
            } else {
                output.append(character)
                index = next
            }
        }
        return output
    }

    private func resolve(_ reference: String) throws(Failure) -> String {
        let name: String
        let fallback: String?
        if let separator = reference.range(of: ":-") {
            name = String(reference[..<separator.lowerBound])
            fallback = String(reference[separator.upperBound...])
        } else {
            name = reference
            fallback = nil
        }
        guard Self.isValidName(name) else { throw .invalidName(name) }
        if let value = environment[name], !(value.isEmpty && fallback != nil) {
            return value
        }
        guard let fallback else { throw .unset(name) }
        return fallback
    }

    private static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
