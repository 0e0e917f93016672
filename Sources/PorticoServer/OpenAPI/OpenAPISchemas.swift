import PorticoCodec
import PorticoSchema

/// JSON Schemas (OpenAPI 3.1 dialect) for the messages of one API version, in the proto3 JSON forms the
/// gateway reads and writes: the version's field names, 64-bit integers as strings, enums by name, bytes as
/// base64, and the well-known types in their JSON forms. Collects every message reached, for
/// `components.schemas`.
struct OpenAPISchemas {
    let schema: SchemaPool
    let names: JSONNameTables
    let version: String
    /// The component schemas made so far, by message name.
    private(set) var components: [String: Any] = [:]

    init(schema: SchemaPool, names: JSONNameTables, version: String) {
        self.schema = schema
        self.names = names
        self.version = version
    }

    /// A reference to `message`'s schema (or its inline JSON form for a well-known type), making it and the
    /// messages it reaches on first use.
    mutating func reference(to message: String) -> [String: Any] {
        if let wellKnown = Self.wellKnown(message) { return wellKnown }
        if components[message] == nil, let descriptor = schema.messages[message] {
            components[message] = [:]
            components[message] = object(descriptor)
        }
        return ["$ref": "#/components/schemas/\(message)"]
    }

    /// The JSON name of each field of `message` in this version, by field index.
    func jsonNames(of message: MessageDescriptor) -> [String] {
        names.names(for: message.fullName, version: version)?.outputNames ?? message.fields.map(\.jsonName)
    }

    private mutating func object(_ message: MessageDescriptor) -> [String: Any] {
        var properties: [String: Any] = [:]
        for (field, name) in zip(message.fields, jsonNames(of: message)) {
            var property = fieldSchema(field)
            if let documentation = field.documentation { property["description"] = documentation }
            properties[name] = property
        }
        var object: [String: Any] = ["type": "object", "properties": properties]
        if message.isDeprecated { object["deprecated"] = true }
        if let documentation = message.documentation { object["description"] = documentation }
        return object
    }

    /// A field's schema: its value's, in an array when repeated, or an object of values for a map.
    mutating func fieldSchema(_ field: FieldDescriptor) -> [String: Any] {
        if field.type == .message, let typeName = field.typeName, let entry = schema.messages[typeName], entry.isMapEntry,
           let value = entry.fields.first(where: { $0.number == 2 }) {
            return ["type": "object", "additionalProperties": valueSchema(value)]
        }
        var result = valueSchema(field)
        if field.isRepeated { result = ["type": "array", "items": result] }
        if field.isDeprecated { result["deprecated"] = true }
        return result
    }

    /// The schema of one value of `field`.
    mutating func valueSchema(_ field: FieldDescriptor) -> [String: Any] {
        switch field.type {
        case .double: ["type": "number", "format": "double"]
        case .float: ["type": "number", "format": "float"]
        case .int32, .sint32, .sfixed32: ["type": "integer", "format": "int32"]
        case .uint32, .fixed32: ["type": "integer", "format": "int64", "minimum": 0, "maximum": 4_294_967_295]
        case .int64, .sint64, .sfixed64: ["type": "string", "format": "int64", "pattern": "^-?[0-9]+$"]
        case .uint64, .fixed64: ["type": "string", "format": "uint64", "pattern": "^[0-9]+$"]
        case .bool: ["type": "boolean"]
        case .string: ["type": "string"]
        case .bytes: ["type": "string", "format": "byte", "contentEncoding": "base64"]
        case .enum: enumSchema(field.typeName)
        case .message, .group: field.typeName.map { reference(to: $0) } ?? [:]
        }
    }

    private func enumSchema(_ name: String?) -> [String: Any] {
        if name == "google.protobuf.NullValue" { return ["type": "null"] }
        guard let name, let descriptor = schema.enums[name] else { return ["type": "string"] }
        return ["type": "string", "enum": descriptor.values.map(\.name), "title": name]
    }

    /// The JSON forms of the well-known types (the proto3 JSON mapping's table).
    static func wellKnown(_ message: String) -> [String: Any]? {
        switch message {
        case "google.protobuf.Timestamp": ["type": "string", "format": "date-time"]
        case "google.protobuf.Duration": ["type": "string", "pattern": "^-?[0-9]+(\\.[0-9]{1,9})?s$", "examples": ["1.5s"]]
        case "google.protobuf.FieldMask": ["type": "string", "description": "Field paths in lowerCamelCase, separated by commas."]
        case "google.protobuf.Struct": ["type": "object", "additionalProperties": true]
        case "google.protobuf.Value": [:]
        case "google.protobuf.ListValue": ["type": "array"]
        case "google.protobuf.Empty": ["type": "object", "additionalProperties": false]
        case "google.protobuf.Any": ["type": "object", "properties": ["@type": ["type": "string"]], "required": ["@type"]]
        case "google.protobuf.BoolValue": ["type": ["boolean", "null"]]
        case "google.protobuf.StringValue": ["type": ["string", "null"]]
        case "google.protobuf.BytesValue": ["type": ["string", "null"], "format": "byte"]
        case "google.protobuf.Int32Value", "google.protobuf.UInt32Value": ["type": ["integer", "null"]]
        case "google.protobuf.Int64Value", "google.protobuf.UInt64Value": ["type": ["string", "null"], "pattern": "^-?[0-9]+$"]
        case "google.protobuf.FloatValue", "google.protobuf.DoubleValue": ["type": ["number", "null"]]
        default: nil
        }
    }
}
