import ArgumentParser
import Foundation
import PorticoServer

/// The two folders every command reads.
struct GatewayPaths: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The folder of .proto files and descriptor sets.", valueName: "dir"))
    var protos = "Protos"

    @Option(name: .long, help: ArgumentHelp("The folder of gateway.yaml and the backend mapping files.", valueName: "dir"))
    var mappings = "Mappings"

    var compiler: GatewayCompiler {
        GatewayCompiler(
            protosDirectory: URL(fileURLWithPath: protos, isDirectory: true),
            mappingsDirectory: URL(fileURLWithPath: mappings, isDirectory: true)
        )
    }

    /// Compiles, or prints every problem to standard error and exits 1.
    func compileOrExit() throws -> GatewaySnapshot {
        do {
            return try compiler.compile()
        } catch {
            printError(error.description)
            printError("portico: \(error.problems.count) problem(s); nothing was started")
            throw ExitCode(1)
        }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
