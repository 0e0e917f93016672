import PorticoSchema

/// Turns decoded `FileDescriptorProto`s into the ``SchemaPool`` model.
struct SchemaCollector {
    private(set) var files: [String: ProtoFile] = [:]
    private var messages: [MessageDescriptor] = []
    private var enums: [EnumDescriptor] = []
    private var services: [ServiceDescriptor] = []

    var pool: SchemaPool {
        SchemaPool(files: Array(files.values), messages: messages, enums: enums, services: services)
    }

    mutating func add(file node: DescriptorNode) throws(WireError) {
        let name = node.string("name")
        let syntaxText = node.string("syntax")
        let syntax: ProtoFile.Syntax
        switch syntaxText {
        case "", "proto2": syntax = .proto2
        case "proto3": syntax = .proto3
        default: throw WireError(.unsupportedSchema, "syntax \"\(syntaxText)\" is not supported")
        }
        let package = node.string("package")
        files[name] = ProtoFile(name: name, package: package, syntax: syntax, dependencies: node.strings("dependency"))
        let scope = package.isEmpty ? "" : package + "."
        var comments: [[Int32]: String] = [:]
        for location in node.message("source_code_info")?.messages("location") ?? [] where location.has("leading_comments") {
            comments[location.int32s("path")] = ProtoComment.normalized(location.string("leading_comments"))
        }
        for (index, message) in node.messages("message_type").enumerated() {
            try add(message: message, scope: scope, file: name, path: [4, Int32(index)], comments: comments)
        }
        for enumNode in node.messages("enum_type") {
            add(enum: enumNode, scope: scope, file: name)
        }
        for (index, service) in node.messages("service").enumerated() {
            services.append(Self.service(service, scope: scope, file: name, path: [6, Int32(index)], comments: comments))
        }
    }

    /// `path` is the message's `SourceCodeInfo` path (`[4, i]`, `[4, i, 3, j]` when nested); `comments` the
    /// file's leading comments by path.
    private mutating func add(
        message node: DescriptorNode, scope: String, file: String, path: [Int32], comments: [[Int32]: String]
    ) throws(WireError) {
        let fullName = scope + node.string("name")
        var fields: [FieldDescriptor] = []
        for (index, fieldNode) in node.messages("field").enumerated() {
            var field = try Self.field(fieldNode)
            field.documentation = comments[path + [2, Int32(index)]]
            if field.type == .group {
                throw WireError(.unsupportedSchema, "field \(fullName).\(field.name) is a group; groups are not supported")
            }
            fields.append(field)
        }
        let oneofNames = node.messages("oneof_decl").map { $0.string("name") }
        let oneofs = oneofNames.enumerated().map { index, name in
            let members = fields.filter { $0.oneofIndex == index }
            return MessageDescriptor.Oneof(name: name, isSynthetic: !members.isEmpty && members.allSatisfy(\.isProto3Optional))
        }
        let options = node.message("options")
        var message = MessageDescriptor(
            fullName: fullName,
            file: file,
            fields: fields,
            oneofs: oneofs,
            isMapEntry: options?.bool("map_entry") ?? false,
            reservedRanges: node.messages("reserved_range").map {
                MessageDescriptor.NumberRange(start: $0.int32("start"), end: $0.int32("end"))
            },
            reservedNames: node.strings("reserved_name"),
            isDeprecated: options?.bool("deprecated") ?? false
        )
        message.documentation = comments[path]
        messages.append(message)
        for (index, nested) in node.messages("nested_type").enumerated() {
            try add(message: nested, scope: fullName + ".", file: file, path: path + [3, Int32(index)], comments: comments)
        }
        for enumNode in node.messages("enum_type") {
            add(enum: enumNode, scope: fullName + ".", file: file)
        }
    }

    private mutating func add(enum node: DescriptorNode, scope: String, file: String) {
        let options = node.message("options")
        enums.append(EnumDescriptor(
            fullName: scope + node.string("name"),
            file: file,
            values: node.messages("value").map {
                EnumDescriptor.Value(name: $0.string("name"), number: $0.int32("number"),
                                     isDeprecated: $0.isDeprecated(options: "options"))
            },
            allowAlias: options?.bool("allow_alias") ?? false,
            isDeprecated: options?.bool("deprecated") ?? false
        ))
    }

    private static func field(_ node: DescriptorNode) throws(WireError) -> FieldDescriptor {
        let name = node.string("name")
        guard let label = FieldDescriptor.Label(rawValue: Int(node.int32("label"))),
              let type = FieldType(rawValue: Int(node.int32("type")))
        else {
            throw WireError(.malformed, "field \(name) has an unknown label or type")
        }
        let typeName = node.string("type_name")
        let options = node.message("options")
        return FieldDescriptor(
            name: name,
            number: node.int32("number"),
            label: label,
            type: type,
            typeName: typeName.isEmpty ? nil : (typeName.hasPrefix(".") ? String(typeName.dropFirst()) : typeName),
            jsonName: node.has("json_name") ? node.string("json_name") : FieldDescriptor.defaultJSONName(for: name),
            oneofIndex: node.has("oneof_index") ? Int(node.int32("oneof_index")) : nil,
            isProto3Optional: node.bool("proto3_optional"),
            defaultValue: node.has("default_value") ? node.string("default_value") : nil,
            packedOption: options.flatMap { $0.has("packed") ? $0.bool("packed") : nil },
            isDeprecated: options?.bool("deprecated") ?? false
        )
    }

    private static func service(
        _ node: DescriptorNode, scope: String, file: String, path: [Int32], comments: [[Int32]: String]
    ) -> ServiceDescriptor {
        ServiceDescriptor(
            fullName: scope + node.string("name"),
            file: file,
            methods: node.messages("method").enumerated().map { index, method in
                let options = method.message("options")
                var descriptor = ServiceDescriptor.Method(
                    name: method.string("name"),
                    inputType: stripDot(method.string("input_type")),
                    outputType: stripDot(method.string("output_type")),
                    clientStreaming: method.bool("client_streaming"),
                    serverStreaming: method.bool("server_streaming"),
                    httpRule: options?.message("http").map(httpRule),
                    isDeprecated: options?.bool("deprecated") ?? false
                )
                descriptor.documentation = comments[path + [2, Int32(index)]]
                return descriptor
            }
        )
    }

    private static func stripDot(_ name: String) -> String {
        name.hasPrefix(".") ? String(name.dropFirst()) : name
    }

    /// A `google.api.HttpRule` with its additional bindings.
    static func httpRule(_ node: DescriptorNode) -> HttpRule {
        let pattern: HttpRule.Pattern?
        if node.has("get") {
            pattern = .get(node.string("get"))
        } else if node.has("put") {
            pattern = .put(node.string("put"))
        } else if node.has("post") {
            pattern = .post(node.string("post"))
        } else if node.has("delete") {
            pattern = .delete(node.string("delete"))
        } else if node.has("patch") {
            pattern = .patch(node.string("patch"))
        } else if let custom = node.message("custom") {
            pattern = .custom(kind: custom.string("kind"), path: custom.string("path"))
        } else {
            pattern = nil
        }
        return HttpRule(
            selector: node.string("selector"),
            pattern: pattern,
            body: node.string("body"),
            responseBody: node.string("response_body"),
            additionalBindings: node.messages("additional_bindings").map(httpRule)
        )
    }
}
