/// Every file, message, enum and service Portico knows, resolved and immutable.
///
/// Built once at start or reload by the `.proto` parser (``ProtoLoader``) or by the `FileDescriptorSet`
/// loader of `PorticoCodec`; both produce equal pools for the same schema. Names are fully qualified
/// without a leading dot. The pool is a value and is shared freely across event loops.
public struct SchemaPool: Sendable, Hashable {
    public private(set) var files: [String: ProtoFile]
    public private(set) var messages: [String: MessageDescriptor]
    public private(set) var enums: [String: EnumDescriptor]
    public private(set) var services: [String: ServiceDescriptor]

    public init(
        files: [ProtoFile] = [],
        messages: [MessageDescriptor] = [],
        enums: [EnumDescriptor] = [],
        services: [ServiceDescriptor] = []
    ) {
        self.files = Dictionary(files.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.messages = Dictionary(messages.map { ($0.fullName, $0) }, uniquingKeysWith: { first, _ in first })
        self.enums = Dictionary(enums.map { ($0.fullName, $0) }, uniquingKeysWith: { first, _ in first })
        self.services = Dictionary(services.map { ($0.fullName, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The syntax of the file that declares a message (proto3 when unknown).
    public func syntax(ofMessage fullName: String) -> ProtoFile.Syntax {
        guard let file = messages[fullName]?.file else { return .proto3 }
        return files[file]?.syntax ?? .proto3
    }

    /// Whether a repeated field uses the packed encoding when written: proto3 packs packable types
    /// unless `[packed = false]`; proto2 only with `[packed = true]`.
    public func isPacked(_ field: FieldDescriptor, syntax: ProtoFile.Syntax) -> Bool {
        guard field.isRepeated, field.type.isPackable else { return false }
        return field.packedOption ?? (syntax == .proto3)
    }

    /// A method by its fully qualified name, `pkg.Service.Method` or `/pkg.Service/Method`.
    public func method(named name: String) -> (service: ServiceDescriptor, method: ServiceDescriptor.Method)? {
        let trimmed = name.hasPrefix("/") ? String(name.dropFirst().map { $0 == "/" ? "." : $0 }) : name
        guard let dot = trimmed.lastIndex(of: ".") else { return nil }
        let serviceName = String(trimmed[..<dot])
        let methodName = String(trimmed[trimmed.index(after: dot)...])
        guard let service = services[serviceName],
              let method = service.methods.first(where: { $0.name == methodName })
        else { return nil }
        return (service, method)
    }

    /// A copy of the pool with only the files named and everything they declare.
    public func restricted(toFiles names: Set<String>) -> SchemaPool {
        SchemaPool(
            files: files.values.filter { names.contains($0.name) },
            messages: messages.values.filter { names.contains($0.file) },
            enums: enums.values.filter { names.contains($0.file) },
            services: services.values.filter { names.contains($0.file) }
        )
    }
}
