import ArgumentParser
import PorticoConfig
import PorticoServer

/// `portico openapi`: the OpenAPI 3.1 description of the public API in one API version.
struct OpenAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi",
        abstract: "Print the OpenAPI 3.1 document of the public API (JSON) for one API version.",
        discussion: "The admin listener serves the same documents at /openapi.json and /openapi/<version>.json."
    )

    @OptionGroup var paths: GatewayPaths

    @Option(help: "The API version to describe (default: gateway.yaml's default version).")
    var apiVersion: String?

    func run() throws {
        let snapshot = try paths.compileOrExit()
        guard let document = OpenAPIDocument.json(snapshot: snapshot, version: apiVersion) else {
            printError("portico: the gateway serves no API version \"\(apiVersion ?? "")\"; it serves \(snapshot.configuration.settings.versions.supported.joined(separator: ", "))")
            throw ExitCode(1)
        }
        print(String(decoding: document, as: UTF8.self), terminator: "")
    }
}
