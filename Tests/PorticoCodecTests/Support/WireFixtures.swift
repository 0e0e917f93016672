import Foundation
import PorticoCodec
import PorticoSchema
import PorticoTesting

/// The wire fixtures under `Tests/Fixtures/protos/wire`, compiled by protoc and loaded by Portico.
enum WireFixtures {
    static let includeRoot = Fixtures.url("protos")
    static let kindsFiles = ["wire/kinds/v1/kinds.proto", "wire/legacy/v1/legacy.proto"]
    static let messageTypes = [
        "wire.kinds.v1.Scalars", "wire.kinds.v1.Node", "wire.kinds.v1.Lists", "wire.kinds.v1.Maps",
        "wire.kinds.v1.Everything", "wire.common.v1.Shared", "wire.legacy.v1.Legacy", "wire.legacy.v1.Legacy.Inner",
    ]

    /// A compiled descriptor set, written to a temporary file for the Python peer too.
    struct CompiledSet {
        let bytes: [UInt8]
        let path: String
        let schema: SchemaPool
        let pool: DescriptorPool
    }

    static func compile(_ files: [String]) async throws -> CompiledSet {
        let data = try await Protoc.descriptorSet(files: files, includeRoots: [includeRoot])
        let path = try Scratch.path("wire.binpb")
        try data.write(to: path)
        let schema = try FileDescriptorSetLoader().load([UInt8](data))
        return CompiledSet(bytes: [UInt8](data), path: path.path, schema: schema, pool: try DescriptorPool(schema: schema))
    }

    /// JSON lines to objects.
    static func lines(_ data: Data) throws -> [[String: Any]] {
        try data.split(separator: UInt8(ascii: "\n")).map {
            try JSONSerialization.jsonObject(with: Data($0)) as! [String: Any]
        }
    }

    /// Objects to JSON lines.
    static func jsonLines(_ objects: [[String: Any]]) throws -> Data {
        var out = Data()
        for object in objects {
            out.append(try JSONSerialization.data(withJSONObject: object))
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }
}
