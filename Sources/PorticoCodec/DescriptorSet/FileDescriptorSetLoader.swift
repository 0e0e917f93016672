import Foundation
import PorticoSchema

/// Reads `FileDescriptorSet` binaries — `protoc --include_imports --descriptor_set_out`, `buf build`
/// (`*.binpb`, `*.pb`, `*.protoset`) — into a ``SchemaPool``.
///
/// The bytes are decoded by protobuf-c through the ``BootstrapSchema`` descriptors, then turned into the
/// model exactly as the `.proto` parser builds it: names fully qualified without a leading dot, fields in
/// declaration order, JSON names from `json_name` (or derived), synthetic oneofs for proto3 `optional`,
/// `(google.api.http)` as ``HttpRule`` with its additional bindings. Extensions are ignored.
public struct FileDescriptorSetLoader: Sendable {
    /// The file extensions a descriptor set is recognised by.
    public static let fileExtensions: Set<String> = ["binpb", "pb", "protoset"]

    private let bootstrap: DescriptorPool

    /// Creates a loader (builds the bootstrap descriptors).
    public init() {
        do {
            bootstrap = try DescriptorPool(schema: BootstrapSchema.pool)
        } catch {
            preconditionFailure("the bootstrap descriptor schema is invalid: \(error)")
        }
    }

    /// Decodes one descriptor set.
    ///
    /// - Throws: ``WireError`` `.malformed` (and the other decoding codes) for bytes that are not a
    ///   `FileDescriptorSet`, `.unsupportedSchema` for editions files and groups.
    public func load(_ bytes: [UInt8]) throws(WireError) -> SchemaPool {
        try load(sets: [bytes])
    }

    /// Decodes several descriptor sets into one pool; a file that appears in several sets is taken once.
    ///
    /// - Throws: ``WireError`` as ``load(_:)``, with the file name in the path.
    public func load(sets: [[UInt8]]) throws(WireError) -> SchemaPool {
        let arena = Arena()
        defer { withExtendedLifetime(arena) {} }
        let setLayout = bootstrap.message(named: "google.protobuf.FileDescriptorSet")!
        var collector = SchemaCollector()
        for bytes in sets {
            let decoded: Result<MessageHandle, WireError> = bytes.withUnsafeBytes { raw in
                Result { () throws(WireError) in try MessageHandle.unpack(raw, as: setLayout, in: arena) }
            }
            let set = try decoded.get()
            for file in DescriptorNode(set).messages("file") {
                let name = file.string("name")
                guard collector.files[name] == nil else { continue }
                do {
                    try collector.add(file: file)
                } catch {
                    throw error.nested(under: name)
                }
            }
        }
        return collector.pool
    }

    /// Reads and decodes a descriptor set file.
    ///
    /// - Throws: ``WireError`` `.malformed` when the file cannot be read, and the errors of ``load(_:)``.
    public func load(contentsOf url: URL) throws(WireError) -> SchemaPool {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw WireError(.malformed, "cannot read \(url.lastPathComponent): \(error.localizedDescription)")
        }
        do {
            return try load([UInt8](data))
        } catch {
            throw error.nested(under: url.lastPathComponent)
        }
    }
}

/// Read access by field name to a decoded bootstrap message.
struct DescriptorNode {
    let handle: MessageHandle

    init(_ handle: MessageHandle) {
        self.handle = handle
    }

    private func field(_ name: String) -> FieldLayout {
        guard let field = handle.layout.field(named: name) else {
            preconditionFailure("bootstrap message \(handle.layout.fullName) has no field \(name)")
        }
        return field
    }

    func has(_ name: String) -> Bool { handle.has(field(name)) }
    func string(_ name: String) -> String { handle.string(field(name)) }
    func int32(_ name: String) -> Int32 { handle.int32(field(name)) }
    func bool(_ name: String) -> Bool { handle.bool(field(name)) }

    func strings(_ name: String) -> [String] {
        let field = field(name)
        return (0..<handle.count(field)).map { handle.string(field, at: $0) }
    }

    func int32s(_ name: String) -> [Int32] {
        let field = field(name)
        return (0..<handle.count(field)).map { handle.int32(field, at: $0) }
    }

    func message(_ name: String) -> DescriptorNode? {
        handle.message(field(name)).map(DescriptorNode.init)
    }

    func messages(_ name: String) -> [DescriptorNode] {
        let field = field(name)
        return (0..<handle.count(field)).map { DescriptorNode(handle.message(field, at: $0)) }
    }

    /// Whether the `deprecated` option of an options message field is set.
    func isDeprecated(options name: String) -> Bool {
        message(name)?.bool("deprecated") ?? false
    }
}
