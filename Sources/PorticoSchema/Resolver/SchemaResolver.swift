/// Resolves the names of parsed files against each other, checks the rules protoc checks, and builds the
/// ``SchemaPool`` descriptors exactly as `protoc` would describe the same files.
struct SchemaResolver {
    var table = SymbolTable()
    var sinks: [String: DiagnosticSink] = [:]
    /// The files whose declarations each file may use: itself, its imports and their public imports.
    let visibility: [String: Set<String>]
    var syntaxOfFile: [String: ProtoFile.Syntax] = [:]
    /// The value names of every enum, for proto2 enum defaults.
    var enumValueNames: [String: [String]] = [:]

    var messages: [MessageDescriptor] = []
    var enums: [EnumDescriptor] = []
    var services: [ServiceDescriptor] = []

    /// Resolves `files` (every import of a file comes before it) into a pool and the diagnostics found.
    static func resolve(_ files: [ParsedFile], visibility: [String: Set<String>]) -> (pool: SchemaPool, diagnostics: [ProtoDiagnostic]) {
        var resolver = SchemaResolver(visibility: visibility)
        for file in files {
            resolver.sinks[file.name] = DiagnosticSink(file: file.name)
            resolver.syntaxOfFile[file.name] = file.syntax
            resolver.declare(file)
        }
        for file in files {
            resolver.build(file)
        }
        let pool = SchemaPool(
            files: files.map { ProtoFile(name: $0.name, package: $0.package, syntax: $0.syntax, dependencies: $0.imports.map(\.path)) },
            messages: resolver.messages,
            enums: resolver.enums,
            services: resolver.services
        )
        return (pool, files.flatMap { resolver.sinks[$0.name]?.diagnostics ?? [] })
    }

    mutating func error(_ message: String, in file: String, at position: SourcePosition) {
        sinks[file, default: DiagnosticSink(file: file)].error(message, at: position)
    }

    static func qualify(_ scope: String, _ name: String) -> String {
        scope.isEmpty ? name : scope + "." + name
    }

    // MARK: Declaring names

    private mutating func declare(_ file: ParsedFile) {
        var packagePrefix = ""
        for part in file.package.split(separator: ".") {
            packagePrefix = SchemaResolver.qualify(packagePrefix, String(part))
            if let existing = table.declare(packagePrefix, kind: .package, file: file.name) {
                error("\"\(packagePrefix)\" is already defined (as something other than a package) in file \"\(existing.file)\".", in: file.name, at: file.packagePosition)
            }
        }
        for message in file.messages { declare(message, scope: file.package, file: file.name) }
        for parsed in file.enums { declare(parsed, scope: file.package, file: file.name) }
        for service in file.services {
            let fullName = SchemaResolver.qualify(file.package, service.name)
            declare(service.name, scope: file.package, kind: .service, file: file.name, at: service.position)
            for method in service.methods {
                declare(method.name, scope: fullName, kind: .method, file: file.name, at: method.position)
            }
        }
    }

    private mutating func declare(_ message: ParsedMessage, scope: String, file: String) {
        let fullName = SchemaResolver.qualify(scope, message.name)
        declare(message.name, scope: scope, kind: .message, file: file, at: message.position)
        for field in message.fields {
            declare(field.name, scope: fullName, kind: .field, file: file, at: field.position)
        }
        for (oneof, position) in zip(message.oneofs, message.oneofPositions) {
            declare(oneof.name, scope: fullName, kind: .oneof, file: file, at: position)
        }
        for nested in message.messages { declare(nested, scope: fullName, file: file) }
        for nested in message.enums { declare(nested, scope: fullName, file: file) }
    }

    private mutating func declare(_ parsed: ParsedEnum, scope: String, file: String) {
        declare(parsed.name, scope: scope, kind: .enumType, file: file, at: parsed.position)
        enumValueNames[SchemaResolver.qualify(scope, parsed.name)] = parsed.values.map(\.name)
        for value in parsed.values {
            declare(value.name, scope: scope, kind: .enumValue, file: file, at: value.position, enumName: parsed.name)
        }
    }

    private mutating func declare(
        _ name: String,
        scope: String,
        kind: SymbolTable.Kind,
        file: String,
        at position: SourcePosition,
        enumName: String? = nil
    ) {
        let fullName = SchemaResolver.qualify(scope, name)
        guard let existing = table.declare(fullName, kind: kind, file: file) else { return }
        var message: String
        if existing.file != file {
            message = "\"\(fullName)\" is already defined in file \"\(existing.file)\"."
        } else if scope.isEmpty {
            message = "\"\(name)\" is already defined."
        } else {
            message = "\"\(name)\" is already defined in \"\(scope)\"."
        }
        if let enumName {
            let scopeText = scope.isEmpty ? "global scope" : "\"\(scope)\""
            message += " Note that enum values use C++ scoping rules, meaning that enum values are siblings of their type, not children of it.  Therefore, \"\(name)\" must be unique within \(scopeText), not just within \"\(enumName)\"."
        }
        error(message, in: file, at: position)
    }

    // MARK: Building descriptors

    private mutating func build(_ file: ParsedFile) {
        for message in file.messages { build(message, scope: file.package, file: file) }
        for parsed in file.enums { build(parsed, scope: file.package, file: file) }
        for service in file.services { build(service, file: file) }
    }

    private mutating func build(_ service: ParsedService, file: ParsedFile) {
        let fullName = SchemaResolver.qualify(file.package, service.name)
        let methods = service.methods.map { method in
            let scope = fullName + "." + method.name
            var descriptor = ServiceDescriptor.Method(
                name: method.name,
                inputType: resolveMessageType(method.inputType, from: scope, file: file.name, at: method.inputPosition),
                outputType: resolveMessageType(method.outputType, from: scope, file: file.name, at: method.outputPosition),
                clientStreaming: method.clientStreaming,
                serverStreaming: method.serverStreaming,
                httpRule: method.httpRule,
                isDeprecated: method.isDeprecated
            )
            descriptor.documentation = method.documentation
            return descriptor
        }
        services.append(ServiceDescriptor(fullName: fullName, file: file.name, methods: methods))
    }

    private mutating func resolveMessageType(_ name: String, from scope: String, file: String, at position: SourcePosition) -> String {
        switch table.lookup(name, from: scope, typesOnly: true, visible: visibility[file] ?? [file]) {
        case .found(let fullName, let symbol):
            if symbol.kind != .message { error("\"\(name)\" is not a message type.", in: file, at: position) }
            return fullName
        case .notFound(let message):
            error(message, in: file, at: position)
            return name
        }
    }
}
