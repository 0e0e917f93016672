/// A `google.api.HttpRule` path template, parsed and validated.
///
/// The grammar is the one of `google/api/http.proto`:
/// ```
/// Template  = "/" | "/" Segments [ Verb ] ;
/// Segments  = Segment { "/" Segment } ;
/// Segment   = "*" | "**" | LITERAL | Variable ;
/// Variable  = "{" FieldPath [ "=" Segments ] "}" ;
/// FieldPath = IDENT { "." IDENT } ;
/// Verb      = ":" LITERAL ;
/// ```
/// As in the reference implementation (grpc-httpjson-transcoding, used by Envoy and ESPv2), `**` may be
/// followed by literal segments only (`/a/{x=b/**}/y/z` is valid, `/a/**/*` is not), and a template that
/// ends in `**` may still carry a verb (`/{name=**}:cancel`). `{var}` is short for `{var=*}`.
///
/// A literal is made of the URI path characters `A–Z a–z 0–9 - . _ ~ ! $ & ' ( ) * + , ; = @` and
/// percent escapes `%XX`; it is compared with the request's segment as written, before any decoding.
/// A field name is a protobuf identifier (`[A-Za-z_][A-Za-z0-9_]*`).
public struct PathTemplate: Sendable, Hashable, CustomStringConvertible {
    /// One segment of the template, after variables are expanded into their patterns.
    public enum Segment: Sendable, Hashable {
        /// Matches exactly this text (as written in the request, not decoded).
        case literal(String)
        /// `*`: matches one segment.
        case wildcard
        /// `**`: matches the remaining segments, up to the literals that follow it.
        case multiWildcard
    }

    /// A variable: the field it binds and the segments whose text becomes the field's value.
    public struct Variable: Sendable, Hashable {
        /// The field path, split at dots (`{book.name}` → `["book", "name"]`).
        public var fieldPath: [String]
        /// The index in ``PathTemplate/segments`` of the first segment the variable covers.
        public var firstSegment: Int
        /// How many template segments the variable covers (1 for `{var}`).
        public var segmentCount: Int
        /// Whether the variable's pattern contains `**`, so it covers a variable number of request segments.
        public var containsMultiWildcard: Bool

        init(fieldPath: [String], firstSegment: Int, segmentCount: Int, containsMultiWildcard: Bool) {
            self.fieldPath = fieldPath
            self.firstSegment = firstSegment
            self.segmentCount = segmentCount
            self.containsMultiWildcard = containsMultiWildcard
        }

        /// Whether the variable is multi-segment, which decides how its value is percent-decoded.
        ///
        /// The rule follows the HttpRule spec and Envoy's default (`ALL_CHARACTERS_EXCEPT_RESERVED`):
        /// - a single-segment variable (`{name}`, `{name=*}`, `{name=literal}`) is fully decoded: every `%XX`
        ///   becomes its byte, so `a%2Fb` binds `a/b`;
        /// - a multi-segment variable (several template segments, or any `**`, even when it matched one
        ///   request segment) decodes every `%XX` except escapes of the RFC 6570 reserved characters
        ///   `! # $ & ' ( ) * + , / : ; = ? @ [ ]`, which stay as written (`%2F` and `%2f` stay), so a decoded
        ///   character never looks like a separator;
        /// - `+` is never a space in a path;
        /// - a `%` not followed by two hex digits, or decoded bytes that are not UTF-8, make the request invalid
        ///   (400); Envoy would pass such text through undecoded.
        public var isMultiSegment: Bool { containsMultiWildcard || segmentCount > 1 }
    }

    /// The template as written.
    public let text: String
    /// The segments in order; empty for the root template `/`.
    public let segments: [Segment]
    /// The custom verb after the last `:`, without the colon.
    public let verb: String?
    /// The variables in order of appearance.
    public private(set) var variables: [Variable]

    /// Parses and validates a template.
    ///
    /// - Throws: ``PathTemplateError`` naming the first problem and where it is.
    public init(_ text: String) throws(PathTemplateError) {
        var parser = PathTemplateParser(text)
        let parsed = try parser.parse()
        self.text = text
        self.segments = parsed.segments
        self.verb = parsed.verb
        self.variables = parsed.variables
    }

    /// The template with variables reduced to their patterns (`/v1/{name=shelves/*}:get` → `/v1/shelves/*:get`).
    ///
    /// Two templates with the same shape match exactly the same requests.
    public var shape: String {
        let path = segments.map { segment -> String in
            switch segment {
            case .literal(let text): text
            case .wildcard: "*"
            case .multiWildcard: "**"
            }
        }
        return "/" + path.joined(separator: "/") + (verb.map { ":" + $0 } ?? "")
    }

    /// A copy whose variables bind other field paths, in the same order (used to replace JSON names by proto names).
    package func renamingVariables(_ fieldPaths: [[String]]) -> PathTemplate {
        var copy = self
        for index in copy.variables.indices where index < fieldPaths.count {
            copy.variables[index].fieldPath = fieldPaths[index]
        }
        return copy
    }

    public var description: String { text }
}
