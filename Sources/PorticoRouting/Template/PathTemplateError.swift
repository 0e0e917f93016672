/// Why a path template is invalid, found when the route table is compiled.
///
/// The description reads `invalid path template "/a/**/*": …` and names the offending character offset
/// (0-based, in UTF-8 bytes of the template), so an operator can fix the rule without guessing.
public struct PathTemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Code: Sendable, Hashable {
        case empty
        case missingLeadingSlash
        case emptySegment
        case invalidCharacter
        case invalidPercentEscape
        case partialWildcard
        case unclosedVariable
        case unmatchedClosingBrace
        case nestedVariable
        case emptyFieldPath
        case invalidFieldName
        case duplicateVariable
        case wildcardAfterMultiWildcard
        case emptyVerb
        case misplacedVerb
    }

    /// The kind of problem, for programs.
    public var code: Code
    /// The template as written.
    public var template: String
    /// What is wrong and where, without the template itself.
    public var reason: String

    /// Creates an error.
    public init(code: Code, template: String, reason: String) {
        self.code = code
        self.template = template
        self.reason = reason
    }

    public var description: String { "invalid path template \"\(template)\": \(reason)" }
}
