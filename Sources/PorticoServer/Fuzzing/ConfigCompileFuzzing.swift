import Foundation
import PorticoConfig
import PorticoSchema

/// Compiling mapping files against a schema, for Portico's fuzz targets (`Fuzz/`, which reach it with
/// `@_spi(Fuzzing) import PorticoServer`): the step `portico check` and every reload run, after the files
/// are read.
@_spi(Fuzzing) public struct ConfigCompileFuzzing: Sendable {
    private let compiler: GatewayCompiler
    private let schema: (pool: SchemaPool, warnings: [String])

    /// Loads the schema of `protosDirectory` once; mapping files' relative paths (keys, certificates) are
    /// read from `mappingsDirectory`.
    public init(protosDirectory: String, mappingsDirectory: String) throws {
        compiler = GatewayCompiler(
            protosDirectory: URL(fileURLWithPath: protosDirectory), mappingsDirectory: URL(fileURLWithPath: mappingsDirectory), environment: [:]
        )
        schema = try SchemaSources(directory: URL(fileURLWithPath: protosDirectory)).load()
    }

    /// Reads `gateway` (`gateway.yaml`) and `backend` (one backend's file) and compiles them: `true` when they
    /// compile, `false` when they are refused with problems.
    public func compile(gateway: String, backend: String) -> Bool {
        guard let configuration = try? MappingsLoader(environment: compiler.environment).load(sources: [("gateway.yaml", gateway), ("backend.yaml", backend)])
        else { return false }
        return (try? compiler.compile(configuration, schema: schema)) != nil
    }
}
