/// One field of a message, as the schema declares it.
///
/// Both loaders (the `.proto` parser and the `FileDescriptorSet` loader) produce exactly the values a
/// `FieldDescriptorProto` made by `protoc` would hold, so two pools built from the same schema compare equal.
public struct FieldDescriptor: Sendable, Hashable {
    /// The cardinality of a field, numbered as `FieldDescriptorProto.Label`.
    public enum Label: Int, Sendable, Hashable {
        case optional = 1
        case required = 2
        case repeated = 3
    }

    /// The field's name as written in the schema (`order_items`).
    public var name: String
    public var number: Int32
    public var label: Label
    public var type: FieldType
    /// The fully qualified name of the message or enum type, without a leading dot (`demo.v1.Order`);
    /// `nil` for scalar fields.
    public var typeName: String?
    /// The proto3 JSON name: the `json_name` option when given, otherwise the lowerCamelCase form of ``name``.
    public var jsonName: String
    /// The index into the containing message's ``MessageDescriptor/oneofs``, when the field belongs to one
    /// (including the synthetic oneof of a proto3 `optional` field).
    public var oneofIndex: Int?
    /// Whether the field was declared `optional` in a proto3 file (it sits in a synthetic oneof).
    public var isProto3Optional: Bool
    /// The proto2 default in `protoc`'s text form (`"1.5"`, `"inf"`, an enum value name, C-escaped bytes).
    public var defaultValue: String?
    /// The `[packed = …]` option when it was written; see ``MessageDescriptor/isPacked(_:syntax:)``.
    public var packedOption: Bool?
    public var isDeprecated: Bool
    /// The comment above its declaration in the `.proto` source (`nil` from a descriptor set).
    public var documentation: String?

    public init(
        name: String,
        number: Int32,
        label: Label,
        type: FieldType,
        typeName: String? = nil,
        jsonName: String,
        oneofIndex: Int? = nil,
        isProto3Optional: Bool = false,
        defaultValue: String? = nil,
        packedOption: Bool? = nil,
        isDeprecated: Bool = false
    ) {
        self.name = name
        self.number = number
        self.label = label
        self.type = type
        self.typeName = typeName
        self.jsonName = jsonName
        self.oneofIndex = oneofIndex
        self.isProto3Optional = isProto3Optional
        self.defaultValue = defaultValue
        self.packedOption = packedOption
        self.isDeprecated = isDeprecated
    }

    public var isRepeated: Bool { label == .repeated }

    /// The default JSON name protoc derives from a field name: underscores dropped, the letter after each
    /// one upper-cased.
    public static func defaultJSONName(for name: String) -> String {
        var result = ""
        result.reserveCapacity(name.count)
        var upperNext = false
        for character in name {
            if character == "_" {
                upperNext = true
            } else if upperNext {
                result.append(contentsOf: character.uppercased())
                upperNext = false
            } else {
                result.append(character)
            }
        }
        return result
    }
}
