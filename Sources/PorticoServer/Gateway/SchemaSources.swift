import Foundation
import PorticoSchema

/// The schema files of a `Protos/` folder: `.proto` sources, parsed by ``ProtoLoader``, plus the built-in
/// `google/rpc` error model that error bodies need.
struct SchemaSources {
    let directory: URL

    /// Loads every schema file below the folder into one pool.
    ///
    /// - Throws: ``GatewayCompileError`` with every problem, each `Protos/<file>:<line>:<column>: …`.
    func load() throws(GatewayCompileError) -> (pool: SchemaPool, warnings: [String]) {
        let label = directory.lastPathComponent
        do {
            let loader = ProtoLoader(includeRoots: [directory])
            let result = try loader.load(files: loader.discoverFiles() + BuiltInProtos.errorModelFiles)
            return (result.pool, result.warnings.map { "\(label)/\($0.description)" })
        } catch {
            throw GatewayCompileError(problems: error.errors.map { "\(label)/\($0.description)" })
        }
    }
}
