import PorticoConfig
import PorticoPolicies
import PorticoRouting

/// The authentication problems a configuration can have before anything runs: key files that cannot be read
/// or used, and routes that ask for a credential kind `gateway.yaml` does not configure.
enum AuthCheck {
    static func problems(
        configuration: GatewayConfiguration,
        routes: RouteTable<GatewayRoute>?,
        files: AuthKeyFiles,
        mappingsLabel: String
    ) -> [String] {
        var problems: [String] = []
        let auth = configuration.settings.auth
        do {
            try Authenticator.checkKeyFiles(settings: auth, files: files)
        } catch {
            problems += error.diagnostics.map { diagnostic in
                var labelled = diagnostic
                labelled.file = "\(mappingsLabel)/\(diagnostic.file)"
                return labelled.description
            }
        }
        var reported: Set<String> = []
        for route in routes?.routes ?? [] {
            let value = route.value
            let needsClientCA = value.auth.mode == .mtls && configuration.settings.tls?.clientCA == nil
            guard let missing = needsClientCA ? "tls.client_ca" : auth.missingSection(for: value.auth.mode),
                  reported.insert(value.target.selector).inserted else { continue }
            let file = value.composite.flatMap { plan in configuration.composites.first { $0.name.value == plan.name }?.file }
                ?? configuration.backends[value.backendIndex].file
            problems.append(
                "\(mappingsLabel)/\(file): \(value.target.selector) asks for auth: \(value.auth.mode.rawValue), but gateway.yaml configures no \(missing)"
            )
        }
        return problems
    }
}
