import PorticoCodec
import PorticoSchema

/// The rich test schema the JSON and wire targets read messages of (`Tests/Fixtures/protos/json/jsontest/everything.proto`:
/// scalars, repeated fields, maps, oneofs, well-known types, recursion).
public enum FuzzSchema {
    /// A transcoder over the schema, loaded once per process.
    public static let transcoder: JSONTranscoder = {
        do {
            let root = FuzzReplay.fixtureProtos.appendingPathComponent("json")
            let pool = try ProtoLoader(includeRoots: [root]).load(files: ["jsontest/everything.proto"]).pool
            return try JSONTranscoder(descriptors: DescriptorPool(schema: pool))
        } catch {
            fatalError("cannot load the fuzz schema: \(error)")
        }
    }()
}
