import Foundation

/// A long-running Python peer (a gRPC server script) that prints its bound port on stdout when ready.
///
/// Start it with ``start(_:_:)``; it runs until ``stop()`` terminates it. Readiness is the printed port,
/// never a sleep.
package final class PythonServer: @unchecked Sendable {
    /// The port the script printed.
    package let port: Int
    private let process: SpawnedProcess

    private init(port: Int, process: SpawnedProcess) {
        self.port = port
        self.process = process
    }

    /// Errors starting a peer.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// Runs `Tests/Fixtures/python/<name>` with `arguments` and waits for the port on its first line.
    package static func start(_ name: String, _ arguments: [String] = []) async throws -> PythonServer {
        let process = try SpawnedProcess(executable: PythonPeer.executable, arguments: [Fixtures.url("python/\(name)").path] + arguments, capturesStandardError: false)
        let line = await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            BlockingThread.start {
                var bytes: [UInt8] = []
                let handle = process.standardOutput
                while let byte = try? handle.read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") {
                    bytes.append(first)
                }
                continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
            }
        }
        guard let port = Int(line.trimmingCharacters(in: .whitespaces)), port > 0 else {
            process.kill()
            process.wait()
            throw Failure(description: "\(name) did not print a port (got \"\(line)\")")
        }
        return PythonServer(port: port, process: process)
    }

    /// Sends one command line on the peer's standard input and waits for its acknowledgement line.
    package func command(_ line: String) async throws {
        try process.standardInput.write(contentsOf: Data((line + "\n").utf8))
        let handle = process.standardOutput
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            BlockingThread.start {
                while let byte = try? handle.read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") {}
                continuation.resume()
            }
        }
    }

    /// Ends the peer at once (`SIGKILL`: the process dies with its connections, as a crashed server would, and
    /// no graceful shutdown of grpcio's races with it) and waits for it to exit.
    package func stop() {
        process.kill()
        try? process.standardInput.close()
        process.wait()
    }
}
