import PorticoSchema

/// The subset of `google/protobuf/descriptor.proto` (and `google/api/http.proto`) the `FileDescriptorSet`
/// loader reads, as a hand-built ``SchemaPool``.
///
/// ``DescriptorPool`` turns it into protobuf-c descriptors like any other schema, so descriptor sets are
/// decoded by protobuf-c itself. Fields the loader does not need are left out and arrive as unknown
/// fields. The two enums of `FieldDescriptorProto` are read as `int32` (same wire form). The
/// `(google.api.http)` extension of `MethodOptions` (number 72295728) is declared as a plain field so
/// protobuf-c decodes the `HttpRule` in the same pass.
enum BootstrapSchema {
    static let descriptorFile = "google/protobuf/descriptor.proto"
    static let httpFile = "google/api/http.proto"

    static let pool: SchemaPool = {
        SchemaPool(
            files: [
                ProtoFile(name: descriptorFile, package: "google.protobuf", syntax: .proto2, dependencies: []),
                ProtoFile(name: httpFile, package: "google.api", syntax: .proto3, dependencies: []),
            ],
            messages: descriptorMessages + httpMessages
        )
    }()

    private static func field(
        _ name: String, _ number: Int32, _ type: FieldType, repeated: Bool = false, message: String? = nil, oneof: Int? = nil
    ) -> FieldDescriptor {
        FieldDescriptor(
            name: name, number: number, label: repeated ? .repeated : .optional, type: type,
            typeName: message, jsonName: FieldDescriptor.defaultJSONName(for: name), oneofIndex: oneof
        )
    }

    private static func message(_ name: String, _ fields: [FieldDescriptor], file: String = descriptorFile,
                                oneofs: [MessageDescriptor.Oneof] = []) -> MessageDescriptor {
        MessageDescriptor(fullName: name, file: file, fields: fields, oneofs: oneofs)
    }

    private static let descriptorMessages: [MessageDescriptor] = [
        message("google.protobuf.FileDescriptorSet", [
            field("file", 1, .message, repeated: true, message: "google.protobuf.FileDescriptorProto"),
        ]),
        message("google.protobuf.FileDescriptorProto", [
            field("name", 1, .string),
            field("package", 2, .string),
            field("dependency", 3, .string, repeated: true),
            field("message_type", 4, .message, repeated: true, message: "google.protobuf.DescriptorProto"),
            field("enum_type", 5, .message, repeated: true, message: "google.protobuf.EnumDescriptorProto"),
            field("service", 6, .message, repeated: true, message: "google.protobuf.ServiceDescriptorProto"),
            field("source_code_info", 9, .message, message: "google.protobuf.SourceCodeInfo"),
            field("syntax", 12, .string),
        ]),
        message("google.protobuf.SourceCodeInfo", [
            field("location", 1, .message, repeated: true, message: "google.protobuf.SourceCodeInfo.Location"),
        ]),
        message("google.protobuf.SourceCodeInfo.Location", [
            field("path", 1, .int32, repeated: true),
            field("leading_comments", 3, .string),
        ]),
        message("google.protobuf.DescriptorProto", [
            field("name", 1, .string),
            field("field", 2, .message, repeated: true, message: "google.protobuf.FieldDescriptorProto"),
            field("nested_type", 3, .message, repeated: true, message: "google.protobuf.DescriptorProto"),
            field("enum_type", 4, .message, repeated: true, message: "google.protobuf.EnumDescriptorProto"),
            field("options", 7, .message, message: "google.protobuf.MessageOptions"),
            field("oneof_decl", 8, .message, repeated: true, message: "google.protobuf.OneofDescriptorProto"),
            field("reserved_range", 9, .message, repeated: true, message: "google.protobuf.DescriptorProto.ReservedRange"),
            field("reserved_name", 10, .string, repeated: true),
        ]),
        message("google.protobuf.DescriptorProto.ReservedRange", [
            field("start", 1, .int32),
            field("end", 2, .int32),
        ]),
        message("google.protobuf.FieldDescriptorProto", [
            field("name", 1, .string),
            field("number", 3, .int32),
            field("label", 4, .int32),
            field("type", 5, .int32),
            field("type_name", 6, .string),
            field("default_value", 7, .string),
            field("options", 8, .message, message: "google.protobuf.FieldOptions"),
            field("oneof_index", 9, .int32),
            field("json_name", 10, .string),
            field("proto3_optional", 17, .bool),
        ]),
        message("google.protobuf.OneofDescriptorProto", [field("name", 1, .string)]),
        message("google.protobuf.EnumDescriptorProto", [
            field("name", 1, .string),
            field("value", 2, .message, repeated: true, message: "google.protobuf.EnumValueDescriptorProto"),
            field("options", 3, .message, message: "google.protobuf.EnumOptions"),
        ]),
        message("google.protobuf.EnumValueDescriptorProto", [
            field("name", 1, .string),
            field("number", 2, .int32),
            field("options", 3, .message, message: "google.protobuf.EnumValueOptions"),
        ]),
        message("google.protobuf.ServiceDescriptorProto", [
            field("name", 1, .string),
            field("method", 2, .message, repeated: true, message: "google.protobuf.MethodDescriptorProto"),
        ]),
        message("google.protobuf.MethodDescriptorProto", [
            field("name", 1, .string),
            field("input_type", 2, .string),
            field("output_type", 3, .string),
            field("options", 4, .message, message: "google.protobuf.MethodOptions"),
            field("client_streaming", 5, .bool),
            field("server_streaming", 6, .bool),
        ]),
        message("google.protobuf.MessageOptions", [
            field("deprecated", 3, .bool),
            field("map_entry", 7, .bool),
        ]),
        message("google.protobuf.FieldOptions", [
            field("packed", 2, .bool),
            field("deprecated", 3, .bool),
        ]),
        message("google.protobuf.EnumOptions", [
            field("allow_alias", 2, .bool),
            field("deprecated", 3, .bool),
        ]),
        message("google.protobuf.EnumValueOptions", [field("deprecated", 1, .bool)]),
        message("google.protobuf.MethodOptions", [
            field("deprecated", 33, .bool),
            field("http", 72_295_728, .message, message: "google.api.HttpRule"),
        ]),
    ]

    private static let httpMessages: [MessageDescriptor] = [
        message("google.api.HttpRule", [
            field("selector", 1, .string),
            field("get", 2, .string, oneof: 0),
            field("put", 3, .string, oneof: 0),
            field("post", 4, .string, oneof: 0),
            field("delete", 5, .string, oneof: 0),
            field("patch", 6, .string, oneof: 0),
            field("body", 7, .string),
            field("custom", 8, .message, message: "google.api.CustomHttpPattern", oneof: 0),
            field("additional_bindings", 11, .message, repeated: true, message: "google.api.HttpRule"),
            field("response_body", 12, .string),
        ], file: httpFile, oneofs: [.init(name: "pattern")]),
        message("google.api.CustomHttpPattern", [
            field("kind", 1, .string),
            field("path", 2, .string),
        ], file: httpFile),
    ]
}
