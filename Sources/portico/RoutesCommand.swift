import ArgumentParser
import PorticoServer

/// `portico routes`: the compiled route table.
struct RoutesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routes",
        abstract: "Print the compiled route table: method, path template, the RPC it calls and its backend.",
        discussion: "Annotations and Mappings rules are shown together, after a Mappings rule replaced the annotation of its selector."
    )

    @OptionGroup var paths: GatewayPaths

    func run() throws {
        print(RouteListing(snapshot: try paths.compileOrExit()).text())
    }
}
