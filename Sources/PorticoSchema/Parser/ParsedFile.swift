/// The syntax tree of one `.proto` file before names are resolved: what the text says, with positions.
struct ParsedFile: Sendable {
    /// An `import` statement.
    struct Import: Sendable {
        enum Kind: Sendable { case normal, `public`, weak }
        var path: String
        var kind: Kind
        var position: SourcePosition
    }

    var name: String
    var syntax: ProtoFile.Syntax = .proto2
    var package: String = ""
    var packagePosition = SourcePosition(line: 1, column: 1)
    var imports: [Import] = []
    var messages: [ParsedMessage] = []
    var enums: [ParsedEnum] = []
    var services: [ParsedService] = []
}

/// A type named in a field or method: a scalar keyword or a (possibly relative) message or enum name.
enum ParsedTypeReference: Sendable, Hashable {
    case scalar(FieldType)
    /// A dotted name as written; a leading dot marks it fully qualified.
    case named(String)
}

/// A `[default = …]` value as written, converted once the field's type is known.
struct ParsedDefault: Sendable {
    var isNegative: Bool
    var token: ProtoToken
}

/// A field (including the synthetic key and value of a map entry) as written.
struct ParsedField: Sendable {
    var name: String
    /// The comment above the declaration.
    var documentation: String?
    var position: SourcePosition
    var number: Int32
    var numberPosition: SourcePosition
    var label: FieldDescriptor.Label
    /// The label keyword, when one was written (`required`, `optional`, `repeated`).
    var labelKeyword: String?
    var type: ParsedTypeReference
    var typePosition: SourcePosition
    var jsonName: String?
    var oneofIndex: Int?
    var isProto3Optional = false
    var defaultValue: ParsedDefault?
    var packedOption: Bool?
    var isDeprecated = false
}

/// A message as written, with its nested declarations.
struct ParsedMessage: Sendable {
    /// A range of numbers, `end` inclusive as written (`reserved 9 to 11`).
    struct Range: Sendable {
        var start: Int32
        var end: Int32
        var position: SourcePosition
    }

    var name: String
    var position: SourcePosition
    /// The comment above the declaration.
    var documentation: String?
    var fields: [ParsedField] = []
    var oneofs: [MessageDescriptor.Oneof] = []
    var oneofPositions: [SourcePosition] = []
    var messages: [ParsedMessage] = []
    var enums: [ParsedEnum] = []
    var reservedRanges: [Range] = []
    var reservedNames: [(name: String, position: SourcePosition)] = []
    var extensionRanges: [Range] = []
    var isMapEntry = false
    var isDeprecated = false
}

/// An enum as written.
struct ParsedEnum: Sendable {
    /// One enum value and where it was written.
    struct Value: Sendable {
        var name: String
        var number: Int32
        var position: SourcePosition
        var isDeprecated = false
    }

    var name: String
    var position: SourcePosition
    var values: [Value] = []
    var reservedRanges: [ParsedMessage.Range] = []
    var reservedNames: [(name: String, position: SourcePosition)] = []
    var allowAlias = false
    var isDeprecated = false
}

/// A service as written.
struct ParsedService: Sendable {
    /// One `rpc` as written.
    struct Method: Sendable {
        var name: String
        var position: SourcePosition
        var inputType: String
        /// The comment above the declaration.
        var documentation: String?
        var inputPosition: SourcePosition
        var outputType: String
        var outputPosition: SourcePosition
        var clientStreaming = false
        var serverStreaming = false
        var httpRule: HttpRule?
        var isDeprecated = false
    }

    var name: String
    var position: SourcePosition
    var methods: [Method] = []
}
