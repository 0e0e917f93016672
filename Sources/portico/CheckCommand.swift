import ArgumentParser
import PorticoServer

/// `portico check`: compile everything and report every problem at once.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compile Protos and Mappings and print every problem with its file:line:column.",
        discussion: """
            Runs exactly the compile that `serve` runs at start and on reload: schemas, mapping files, routes \
            against the schema, API-version renames. Exits 0 when everything compiles, 1 otherwise, so it fits \
            a CI step before a deploy.
            """
    )

    @OptionGroup var paths: GatewayPaths

    func run() throws {
        let snapshot = try paths.compileOrExit()
        for warning in snapshot.warnings { printError("warning: \(warning)") }
        print("ok: \(snapshot.routeCount) routes to \(snapshot.backends.count) backends, \(snapshot.messageCount) message types")
    }
}
