import Foundation

/// Loads `.proto` files into a ``SchemaPool``: parses them, follows their imports, resolves every name and
/// checks the rules `protoc` checks, reporting every error with its `file:line:column`.
///
/// An import path is looked up first among ``BuiltInProtos/files`` (the well-known types and the
/// `google/api` HTTP annotations), then among the in-memory ``sources``, then below each include root in
/// order, exactly as `protoc -I root` names files (`demo/orders/v1/orders.proto` for root `Protos/`).
public struct ProtoLoader: Sendable {
    /// The folders import paths are relative to, searched in order.
    public var includeRoots: [URL]
    /// Files given as text, keyed by import path; consulted after the built-in files, before the roots.
    public var sources: [String: String]

    /// A loader over include roots and optional in-memory files.
    public init(includeRoots: [URL] = [], sources: [String: String] = [:]) {
        self.includeRoots = includeRoots
        self.sources = sources
    }

    /// The import paths of every `.proto` file below the include roots and of every in-memory source, sorted.
    public func discoverFiles() -> [String] {
        var names = Set(sources.keys)
        for root in includeRoots {
            let rootPath = root.standardizedFileURL.path
            guard let enumerator = FileManager.default.enumerator(atPath: rootPath) else { continue }
            while let relative = enumerator.nextObject() as? String {
                if relative.hasSuffix(".proto") { names.insert(relative) }
            }
        }
        return names.sorted()
    }

    /// Loads every file ``discoverFiles()`` finds, with their imports.
    ///
    /// - Throws: ``ProtoLoadError`` with every error when any file is missing, malformed or inconsistent.
    public func loadAll() throws(ProtoLoadError) -> ProtoLoadResult {
        try load(files: discoverFiles())
    }

    /// Loads the named files (import paths) and everything they import.
    ///
    /// - Throws: ``ProtoLoadError`` with every error when any file is missing, malformed or inconsistent.
    public func load(files: [String]) throws(ProtoLoadError) -> ProtoLoadResult {
        var graph = ImportGraph(loader: self)
        for name in files {
            graph.visit(name, importedFrom: nil)
        }
        let usable = graph.order.filter { graph.isUsable($0) }
        let resolved = SchemaResolver.resolve(usable.compactMap { graph.parsed[$0] }, visibility: graph.visibility(of: usable))
        let diagnostics = graph.diagnostics + resolved.diagnostics
        let errors = diagnostics.filter { $0.severity == .error }
        let warnings = diagnostics.filter { $0.severity == .warning }
        guard errors.isEmpty else { throw ProtoLoadError(errors: errors, warnings: warnings) }
        return ProtoLoadResult(pool: resolved.pool, warnings: warnings)
    }

    /// The text of an import path and whether it is built in, or `nil` when no source has it.
    func source(of name: String) -> (text: String, isBuiltIn: Bool)? {
        if let text = BuiltInProtos.files[name] { return (text, true) }
        if let text = sources[name] { return (text, false) }
        for root in includeRoots {
            let url = root.appendingPathComponent(name)
            if let data = FileManager.default.contents(atPath: url.path) {
                return (String(decoding: data, as: UTF8.self), false)
            }
        }
        return nil
    }
}

/// A loaded schema and the warnings about what was ignored (`extend` blocks, a missing `syntax`).
public struct ProtoLoadResult: Sendable {
    /// Every loaded file (the requested ones and all they import) and its declarations.
    public var pool: SchemaPool
    /// What was ignored, with its position.
    public var warnings: [ProtoDiagnostic]

    /// A result as the loader returns it.
    public init(pool: SchemaPool, warnings: [ProtoDiagnostic]) {
        self.pool = pool
        self.warnings = warnings
    }
}
