import ArgumentParser
import PorticoServer

/// The `portico` command: an edge gateway that serves REST/JSON in front of gRPC backends.
@main
struct Portico: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portico",
        abstract: "An edge API gateway: REST/JSON in front, gRPC backends behind.",
        discussion: """
            Portico reads the backends' schemas from a Protos folder (.proto files, or FileDescriptorSet \
            binaries made by protoc --include_imports --descriptor_set_out or buf build) and the routes and \
            policies from a Mappings folder (gateway.yaml plus one YAML file per backend; see docs/mappings.md).

            Start with `portico demo`, which runs three demo backends and the gateway on the bundled folders, \
            then `portico check` after every edit of your own Mappings.
            """,
        version: PorticoBuild.version,
        subcommands: [ServeCommand.self, CheckCommand.self, RoutesCommand.self, OpenAPICommand.self, DemoCommand.self]
    )
}
