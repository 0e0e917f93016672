import Foundation
import PorticoCodec
import PorticoConfig
import PorticoPolicies
import PorticoRouting
import PorticoSchema

/// Compiles `Protos/` and `Mappings/` into a ``GatewaySnapshot``, or reports every problem at once.
///
/// This is the only place configuration is parsed and checked: the schema is loaded, the mapping files
/// are read strictly, routes are compiled against the schema, the API versions' name tables are built and
/// protobuf-c descriptors are laid out. `portico check`, `serve`, `routes` and a reload all run it.
package struct GatewayCompiler: Sendable {
    package var protosDirectory: URL
    package var mappingsDirectory: URL
    package var environment: [String: String]

    package init(protosDirectory: URL, mappingsDirectory: URL, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.protosDirectory = protosDirectory
        self.mappingsDirectory = mappingsDirectory
        self.environment = environment
    }

    /// Compiles everything.
    ///
    /// - Throws: ``GatewayCompileError`` with every problem found, schema, mapping and route problems together.
    package func compile() throws(GatewayCompileError) -> GatewaySnapshot {
        var problems: [String] = []
        let mappingsLabel = mappingsDirectory.lastPathComponent
        var configuration: GatewayConfiguration?
        do {
            configuration = try MappingsLoader(environment: environment).load(directory: mappingsDirectory.path)
        } catch {
            problems += error.diagnostics.map { diagnostic in
                var labelled = diagnostic
                labelled.file = "\(mappingsLabel)/\(diagnostic.file)"
                return labelled.description
            }
        }
        var schemaLoad: (pool: SchemaPool, warnings: [String])?
        do {
            schemaLoad = try SchemaSources(directory: protosDirectory).load()
        } catch {
            problems += error.problems
        }
        guard let configuration, let schemaLoad else { throw GatewayCompileError(problems: problems) }
        return try compile(configuration, schema: schemaLoad, problems: problems)
    }

    /// Compiles a configuration already read against a schema already loaded: name tables, descriptors,
    /// routes, authentication and TLS files (read from ``mappingsDirectory``).
    ///
    /// - Throws: ``GatewayCompileError`` with `problems` and every problem found.
    package func compile(
        _ configuration: GatewayConfiguration, schema schemaLoad: (pool: SchemaPool, warnings: [String]), problems: [String] = []
    ) throws(GatewayCompileError) -> GatewaySnapshot {
        var problems = problems
        let mappingsLabel = mappingsDirectory.lastPathComponent
        let protosLabel = protosDirectory.lastPathComponent
        let schema = schemaLoad.pool
        let names = nameTables(configuration: configuration, schema: schema, mappingsLabel: mappingsLabel, problems: &problems)
        let descriptors: DescriptorPool?
        do {
            descriptors = try DescriptorPool(schema: schema)
        } catch {
            problems.append("\(protosLabel): \(error)")
            descriptors = nil
        }
        let transcoder = names.flatMap { names in descriptors.map { JSONTranscoder(descriptors: $0, names: names) } }
        let planner = RoutePlanner(
            configuration: configuration, schema: schema, transcoder: transcoder, mappingsLabel: mappingsLabel, protosLabel: protosLabel
        )
        let (table, routeProblems) = planner.plan()
        problems += routeProblems
        let authFiles = AuthKeyFiles(mappingsDirectory: mappingsDirectory.path)
        problems += AuthCheck.problems(configuration: configuration, routes: table, files: authFiles, mappingsLabel: mappingsLabel)
        var tls: ListenerTLS?
        if let settings = configuration.settings.tls {
            do {
                tls = try ListenerTLS(settings: settings, directory: mappingsDirectory.path)
            } catch {
                problems += error.problems.map { "\(mappingsLabel)/\($0)" }
            }
        }
        let backendTLS = BackendTLSContexts.make(configuration.backends, directory: mappingsDirectory.path, mappingsLabel: mappingsLabel)
        problems += backendTLS.problems
        guard problems.isEmpty, let table, let transcoder else {
            throw GatewayCompileError(problems: problems)
        }
        return GatewaySnapshot(
            configuration: configuration,
            schema: schema,
            routes: table,
            transcoder: transcoder,
            authFiles: authFiles,
            warnings: schemaLoad.warnings,
            tls: tls,
            backendTLS: backendTLS.contexts
        )
    }

    /// The name tables of every API version; renames of unknown messages or fields are reported where
    /// they were written.
    private func nameTables(
        configuration: GatewayConfiguration,
        schema: SchemaPool,
        mappingsLabel: String,
        problems: inout [String]
    ) -> JSONNameTables? {
        var renames: [JSONNameTables.Rename] = []
        for backend in configuration.backends {
            for rename in backend.renames {
                var location = rename.location
                location.file = "\(mappingsLabel)/\(location.file)"
                guard let message = schema.messages[rename.message] else {
                    problems.append(location.diagnostic("rename in unknown message \(rename.message)").description)
                    continue
                }
                guard message.field(named: rename.field) != nil else {
                    problems.append(location.diagnostic("message \(rename.message) has no field \"\(rename.field)\"").description)
                    continue
                }
                renames.append(JSONNameTables.Rename(
                    version: rename.version, message: rename.message, protoFieldName: rename.field, jsonName: rename.jsonName
                ))
            }
        }
        do {
            return try JSONNameTables(pool: schema, defaultVersion: configuration.settings.versions.defaultVersion, renames: renames)
        } catch {
            problems += error.problems.map { "\(mappingsLabel): \($0)" }
            return nil
        }
    }
}

extension GatewayCompiler: CustomStringConvertible {
    /// The folders only, never the environment (which may hold secrets for `${…}`).
    package var description: String {
        "GatewayCompiler(protos: \(protosDirectory.path), mappings: \(mappingsDirectory.path))"
    }
}
