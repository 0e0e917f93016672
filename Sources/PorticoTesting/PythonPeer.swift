import Foundation

/// The repository's Python virtual environment (`make deps`), used as the independent protobuf and gRPC peer.
package enum PythonPeer {
    /// The interpreter: `$PORTICO_PYTHON` when set, otherwise `.venv/bin/python` in the repository.
    package static var executable: String {
        if let path = ProcessInfo.processInfo.environment["PORTICO_PYTHON"], !path.isEmpty {
            return path
        }
        return Fixtures.repositoryRoot.appendingPathComponent(".venv/bin/python").path
    }

    /// Runs a script under `Tests/Fixtures/python/` with arguments and standard input.
    package static func runScript(_ name: String, _ arguments: [String] = [], input: Data = Data()) throws -> Data {
        let script = Fixtures.url("python/\(name)").path
        return try ProcessRunner.output(executable, [script] + arguments, input: input)
    }

    /// As ``runScript(_:_:input:)``, waiting on a thread of its own instead of a cooperative one.
    package static func runScript(_ name: String, _ arguments: [String] = [], input: Data = Data()) async throws -> Data {
        let script = Fixtures.url("python/\(name)").path
        return try await ProcessRunner.output(executable, [script] + arguments, input: input)
    }
}
