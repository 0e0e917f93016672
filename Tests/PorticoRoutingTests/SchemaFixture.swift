import PorticoSchema

/// A hand-built schema in the shape of the HttpRule spec's examples (the `.proto` parser is not used here).
enum SchemaFixture {
    static func field(
        _ name: String, _ number: Int32, _ type: FieldType, _ typeName: String? = nil,
        repeated: Bool = false, jsonName: String? = nil
    ) -> FieldDescriptor {
        FieldDescriptor(
            name: name, number: number, label: repeated ? .repeated : .optional, type: type, typeName: typeName,
            jsonName: jsonName ?? FieldDescriptor.defaultJSONName(for: name))
    }

    static let file = "demo/v1/messaging.proto"

    static let pool = SchemaPool(
        files: [ProtoFile(name: file, package: "demo.v1", syntax: .proto3, dependencies: [])],
        messages: [
            MessageDescriptor(fullName: "demo.v1.Sub", file: file, fields: [field("subfield", 1, .string)]),
            MessageDescriptor(fullName: "demo.v1.GetMessageRequest", file: file, fields: [
                field("message_id", 1, .string),
                field("revision", 2, .int64),
                field("sub", 3, .message, "demo.v1.Sub"),
                field("tags", 4, .string, repeated: true),
                field("labels", 5, .message, "demo.v1.GetMessageRequest.LabelsEntry", repeated: true),
                field("wrapped", 6, .message, "google.protobuf.StringValue"),
                field("color", 7, .enum, "demo.v1.Color"),
                field("subs", 8, .message, "demo.v1.Sub", repeated: true),
                field("user_id", 9, .string),
            ]),
            MessageDescriptor(
                fullName: "demo.v1.GetMessageRequest.LabelsEntry", file: file,
                fields: [field("key", 1, .string), field("value", 2, .string)], isMapEntry: true),
            MessageDescriptor(fullName: "demo.v1.Message", file: file, fields: [
                field("message_id", 1, .string), field("text", 2, .string),
            ]),
            MessageDescriptor(fullName: "demo.v1.UpdateMessageRequest", file: file, fields: [
                field("message_id", 1, .string), field("message", 2, .message, "demo.v1.Message"),
            ]),
            MessageDescriptor(fullName: "google.protobuf.StringValue", file: "google/protobuf/wrappers.proto",
                              fields: [field("value", 1, .string)]),
        ],
        enums: [EnumDescriptor(fullName: "demo.v1.Color", file: file, values: [.init(name: "RED", number: 0)])],
        services: [ServiceDescriptor(fullName: "demo.v1.Messaging", file: file, methods: [
            .init(name: "GetMessage", inputType: "demo.v1.GetMessageRequest", outputType: "demo.v1.Message",
                  httpRule: HttpRule(pattern: .get("/v1/messages/{message_id}"))),
            .init(name: "UpdateMessage", inputType: "demo.v1.UpdateMessageRequest", outputType: "demo.v1.Message"),
            .init(name: "CreateMessage", inputType: "demo.v1.Message", outputType: "demo.v1.Message"),
            .init(name: "StreamMessages", inputType: "demo.v1.GetMessageRequest", outputType: "demo.v1.Message",
                  serverStreaming: true),
        ])])
}
