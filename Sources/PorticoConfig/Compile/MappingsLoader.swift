import Foundation

/// Loads a mappings folder: `gateway.yaml`, one YAML file per backend, and files of composite routes (a
/// top-level `composites:` key), collecting every error.
///
/// Files are read in name order. Every key is checked (unknown keys are errors), `${VAR:-default}` is
/// expanded from the environment given, and problems across files (two backends with one name, a selector
/// bound twice) are reported together with the per-file ones.
public struct MappingsLoader: Sendable {
    /// The name of the gateway-wide settings file inside the folder.
    public static let gatewayFileName = "gateway.yaml"

    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Loads every `*.yaml`/`*.yml` file of `directory`.
    ///
    /// - Throws: ``ConfigError`` with every problem found, when there is at least one.
    public func load(directory: String) throws(ConfigError) -> GatewayConfiguration {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                .sorted()
        } catch {
            throw ConfigError(diagnostics: [
                ConfigDiagnostic(file: directory, line: 0, column: 0, keyPath: "", message: "cannot read the mappings folder"),
            ])
        }
        var sources: [(name: String, text: String)] = []
        var unreadable: [ConfigDiagnostic] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            if let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) {
                sources.append((name, text))
            } else {
                unreadable.append(ConfigDiagnostic(file: name, line: 0, column: 0, keyPath: "", message: "cannot read the file as UTF-8"))
            }
        }
        do {
            return try load(sources: sources)
        } catch {
            throw ConfigError(diagnostics: unreadable + error.diagnostics)
        }
    }

    /// Loads mapping files given as `(file name, text)` pairs; the one named `gateway.yaml` holds the settings.
    ///
    /// - Throws: ``ConfigError`` with every problem found, when there is at least one.
    public func load(sources: [(name: String, text: String)]) throws(ConfigError) -> GatewayConfiguration {
        let log = DiagnosticLog()
        let expander = EnvironmentExpander(environment: environment)
        var settings = GatewaySettings()
        if let gateway = sources.first(where: { $0.name == Self.gatewayFileName }),
           let root = YAMLDocument.parse(gateway.text, file: gateway.name, log: log, expander: expander) {
            settings = GatewayFileReader.read(root)
        }
        var backends: [BackendConfiguration] = []
        var composites: [CompositeRouteConfiguration] = []
        for source in sources where source.name != Self.gatewayFileName {
            guard let root = YAMLDocument.parse(source.text, file: source.name, log: log, expander: expander) else { continue }
            if root.hasKey(CompositeFileReader.rootKey) {
                composites += CompositeFileReader.read(root, file: source.name, settings: settings)
            } else if let backend = BackendFileReader.read(root, file: source.name, settings: settings) {
                backends.append(backend)
            }
        }
        ConsistencyCheck.run(backends: backends, log: log)
        ConsistencyCheck.run(composites: composites, log: log)
        guard log.isEmpty else { throw ConfigError(diagnostics: log.diagnostics) }
        return GatewayConfiguration(settings: settings, backends: backends, composites: composites)
    }
}
