import Foundation
import Synchronization

/// The built `portico` binary serving a mappings folder in a process of its own, for tests of several
/// gateway instances side by side.
///
/// Readiness is its "portico started" log line, which names the port it listens on; never a sleep.
package final class GatewayProcess: @unchecked Sendable {
    /// The port of its public listener.
    package let port: Int
    private let process: SpawnedProcess
    private let isStopped = Mutex(false)

    private init(port: Int, process: SpawnedProcess) {
        self.port = port
        self.process = process
    }

    /// Errors starting the gateway.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// The `portico` binary next to the test bundle (`swift build --build-tests` builds both).
    package static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("portico")
    }

    /// Runs `portico serve --protos protos --mappings mappings` and waits until it listens.
    package static func start(protos: URL, mappings: URL) async throws -> GatewayProcess {
        let process = try SpawnedProcess(
            executable: binary.path, arguments: ["serve", "--protos", protos.path, "--mappings", mappings.path], capturesStandardError: false
        )
        let port = await withCheckedContinuation { (continuation: CheckedContinuation<Int?, Never>) in
            BlockingThread.start { readLog(process.standardOutput) { continuation.resume(returning: $0) } }
        }
        guard let port else {
            process.kill()
            process.wait()
            throw Failure(description: "portico exited before it listened")
        }
        return GatewayProcess(port: port, process: process)
    }

    /// Kills the gateway and waits for it to exit; once, however often it is called.
    package func stop() {
        guard !isStopped.withLock({ stopped in defer { stopped = true }; return stopped }) else { return }
        process.kill()
        try? process.standardInput.close()
        process.wait()
    }

    /// Reads the log to its end (a full pipe would stall the gateway), calling `ready` once: with the port of
    /// the "portico started" line, or `nil` when the log ends first.
    private static func readLog(_ handle: FileHandle, ready: (Int?) -> Void) {
        var reported = false
        var line: [UInt8] = []
        while case let chunk = handle.availableData, !chunk.isEmpty {
            for byte in chunk where !reported {
                guard byte == UInt8(ascii: "\n") else {
                    line.append(byte)
                    continue
                }
                let text = String(decoding: line, as: UTF8.self)
                line.removeAll()
                if text.contains("\"portico started\""), let range = text.firstRange(of: "\"listen\":\"http://127.0.0.1:") {
                    reported = true
                    ready(Int(text[range.upperBound...].prefix { $0.isNumber }))
                }
            }
        }
        if !reported { ready(nil) }
    }
}
