import Foundation

/// A long-running Python peer (a gRPC server script) that prints its bound port on stdout when ready.
///
/// Start it with ``start(_:_:)``; it runs until ``stop()`` closes its stdin (scripts exit on EOF) and, if
/// needed, terminates it. Readiness is the printed port, never a sleep.
public final class PythonServer: @unchecked Sendable {
    /// The port the script printed.
    public let port: Int
    private let process: Process
    private let input: Pipe

    private init(port: Int, process: Process, input: Pipe) {
        self.port = port
        self.process = process
        self.input = input
    }

    /// Errors starting a peer.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `Tests/Fixtures/python/<name>` with `arguments` and waits for the port on its first line.
    public static func start(_ name: String, _ arguments: [String] = []) async throws -> PythonServer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PythonPeer.executable)
        process.arguments = [Fixtures.url("python/\(name)").path] + arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let line = await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            DispatchQueue.global().async {
                var bytes: [UInt8] = []
                let handle = output.fileHandleForReading
                while let byte = try? handle.read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") {
                    bytes.append(first)
                }
                continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
            }
        }
        guard let port = Int(line.trimmingCharacters(in: .whitespaces)), port > 0 else {
            process.terminate()
            throw Failure(description: "\(name) did not print a port (got \"\(line)\")")
        }
        return PythonServer(port: port, process: process, input: input)
    }

    /// Ends the peer and waits for it to exit.
    public func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
