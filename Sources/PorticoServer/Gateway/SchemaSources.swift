import Foundation
import PorticoCodec
import PorticoSchema

/// The schema files of a `Protos/` folder, merged into one pool: `.proto` sources parsed by
/// ``ProtoLoader``, `FileDescriptorSet` binaries (`*.binpb`, `*.pb`, `*.protoset`, as `protoc
/// --include_imports --descriptor_set_out` or `buf build` write them) decoded by protobuf-c, and the built-in
/// `google/rpc` error model that error bodies need.
///
/// A type declared by both kinds of source must be declared the same way; the `.proto` text wins otherwise
/// identical duplicates (the well-known types every descriptor set carries).
struct SchemaSources {
    let directory: URL

    /// Loads every schema file below the folder.
    ///
    /// - Throws: ``GatewayCompileError`` with every problem, each naming its file.
    func load() throws(GatewayCompileError) -> (pool: SchemaPool, warnings: [String]) {
        let label = directory.lastPathComponent
        var problems: [String] = []
        var pools: [SchemaPool] = []
        var warnings: [String] = []
        do {
            let loader = ProtoLoader(includeRoots: [directory])
            let result = try loader.load(files: loader.discoverFiles() + BuiltInProtos.errorModelFiles)
            pools.append(result.pool)
            warnings = result.warnings.map { "\(label)/\($0.description)" }
        } catch {
            problems += error.errors.map { "\(label)/\($0.description)" }
        }
        for file in descriptorSetFiles() {
            do {
                pools.append(try FileDescriptorSetLoader().load(contentsOf: directory.appendingPathComponent(file)))
            } catch {
                problems.append("\(label)/\(file): \(error)")
            }
        }
        guard problems.isEmpty else { throw GatewayCompileError(problems: problems) }
        problems = conflicts(among: pools).map { "\(label): \($0)" }
        guard problems.isEmpty else { throw GatewayCompileError(problems: problems) }
        let merged = SchemaPool(
            files: pools.flatMap { $0.files.values },
            messages: pools.flatMap { $0.messages.values },
            enums: pools.flatMap { $0.enums.values },
            services: pools.flatMap { $0.services.values }
        )
        return (merged, warnings)
    }

    private func descriptorSetFiles() -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if let suffix = relative.split(separator: ".").last, FileDescriptorSetLoader.fileExtensions.contains(String(suffix)) {
                files.append(relative)
            }
        }
        return files.sorted()
    }

    private func conflicts(among pools: [SchemaPool]) -> [String] {
        var problems: [String] = []
        var messages: [String: MessageDescriptor] = [:]
        var services: [String: ServiceDescriptor] = [:]
        for pool in pools {
            for (name, message) in pool.messages {
                if let other = messages[name], !sameShape(other, message) {
                    problems.append("message \(name) is declared differently in \(other.file) and \(message.file)")
                }
                messages[name] = messages[name] ?? message
            }
            for (name, service) in pool.services {
                if let other = services[name], other.methods.map(\.name) != service.methods.map(\.name) {
                    problems.append("service \(name) is declared differently in \(other.file) and \(service.file)")
                }
                services[name] = services[name] ?? service
            }
        }
        return problems.sorted()
    }

    private func sameShape(_ lhs: MessageDescriptor, _ rhs: MessageDescriptor) -> Bool {
        lhs.fields.map { [$0.name, "\($0.number)", "\($0.type)", $0.typeName ?? ""] }
            == rhs.fields.map { [$0.name, "\($0.number)", "\($0.type)", $0.typeName ?? ""] }
    }
}
