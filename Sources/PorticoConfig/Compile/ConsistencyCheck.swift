import PorticoSchema

/// Checks across mapping files: unique backend and composite names, one rule per selector, one JSON name per field
/// and version.
package enum ConsistencyCheck {
    package static func run(backends: [BackendConfiguration], log: DiagnosticLog) {
        var backendFiles: [String: String] = [:]
        var selectors: [String: SourceLocation] = [:]
        var renames: [String: SourceLocation] = [:]
        var services: [String: String] = [:]
        for backend in backends {
            for service in backend.services {
                if let other = services[service.value] {
                    log.report("service \(service.value) is already served by backend \"\(other)\"", at: service.location)
                } else {
                    services[service.value] = backend.name
                }
            }
            if let other = backendFiles[backend.name], !backend.name.isEmpty {
                log.append(ConfigDiagnostic(
                    file: backend.file, line: 0, column: 0, keyPath: "backend.name",
                    message: "backend \"\(backend.name)\" is already defined in \(other)"
                ))
            }
            backendFiles[backend.name] = backend.file
            for rule in backend.rules where !rule.value.selector.isEmpty {
                if let first = selectors[rule.value.selector] {
                    log.report(
                        "selector \(rule.value.selector) already has a rule at \(first.file):\(first.line); use additional_bindings",
                        at: rule.location
                    )
                } else {
                    selectors[rule.value.selector] = rule.location
                }
            }
            for rename in backend.renames {
                let key = "\(rename.version) \(rename.message).\(rename.field)"
                if let first = renames[key] {
                    log.report("\(rename.message).\(rename.field) is already renamed for \(rename.version) at \(first.file):\(first.line)", at: rename.location)
                } else {
                    renames[key] = rename.location
                }
            }
        }
    }

    /// Composite route names are unique across files.
    package static func run(composites: [CompositeRouteConfiguration], log: DiagnosticLog) {
        var names: [String: SourceLocation] = [:]
        for composite in composites {
            if let first = names[composite.name.value] {
                log.report("composite route \"\(composite.name.value)\" is already defined at \(first.file):\(first.line)", at: composite.name.location)
            } else {
                names[composite.name.value] = composite.name.location
            }
        }
    }
}
