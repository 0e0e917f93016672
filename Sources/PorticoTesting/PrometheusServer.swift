import Foundation

/// A real Prometheus server (Debian's `prometheus`) on 127.0.0.1 with a port of its own choosing, for tests
/// that check the gateway's `/metrics` the way production scrapes it.
///
/// Readiness is its log: the "Listening on" line names the port, "Server is ready" follows; never a sleep.
package final class PrometheusServer: @unchecked Sendable {
    /// The port of its HTTP API.
    package let port: Int
    private let process: SpawnedProcess
    private let storage: URL

    private init(port: Int, process: SpawnedProcess, storage: URL) {
        self.port = port
        self.process = process
        self.storage = storage
    }

    /// Errors starting the server.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// Starts `prometheus` with `configuration` (YAML) in a temporary folder and waits until it serves.
    package static func start(configuration: String) async throws -> PrometheusServer {
        guard let executable = ProcessRunner.executable(named: "prometheus") else {
            throw Failure(description: "prometheus is not installed: run `make deps` (Debian's prometheus package)")
        }
        let folder = try Scratch.folder("prometheus")
        let file = folder.appendingPathComponent("prometheus.yml")
        try Data(configuration.utf8).write(to: file)
        let process = try SpawnedProcess(executable: executable, arguments: [
            "--config.file=\(file.path)", "--storage.tsdb.path=\(folder.appendingPathComponent("data").path)",
            "--web.listen-address=127.0.0.1:0", "--log.level=info",
        ])
        let port = await withCheckedContinuation { (continuation: CheckedContinuation<Int?, Never>) in
            BlockingThread.start { Self.readLog(process.standardError) { continuation.resume(returning: $0) } }
        }
        guard let port else {
            process.kill()
            process.wait()
            try? FileManager.default.removeItem(at: folder)
            throw Failure(description: "prometheus exited before it was ready")
        }
        return PrometheusServer(port: port, process: process, storage: folder)
    }

    /// Reads the log to its end (a full pipe would stall the server), calling `ready` once: with the port of
    /// "Listening on" once "Server is ready" has also been logged (the two come from different goroutines, in
    /// either order), or with `nil` when the log ends first.
    private static func readLog(_ handle: FileHandle?, ready: (Int?) -> Void) {
        var reported = false
        var isReady = false
        var port: Int?
        var line: [UInt8] = []
        while let chunk = handle?.availableData, !chunk.isEmpty {
            for byte in chunk {
                guard byte == UInt8(ascii: "\n") else {
                    line.append(byte)
                    continue
                }
                let text = String(decoding: line, as: UTF8.self)
                line.removeAll()
                if text.contains("msg=\"Listening on\""), let colon = text.lastIndex(of: ":") {
                    port = Int(text[text.index(after: colon)...].prefix { $0.isNumber })
                }
                if text.contains("Server is ready to receive web requests") { isReady = true }
                if !reported, isReady, let port {
                    reported = true
                    ready(port)
                }
            }
        }
        if !reported { ready(nil) }
    }

    /// Stops the server and removes its storage.
    package func stop() {
        process.kill()
        try? process.standardInput.close()
        process.wait()
        try? FileManager.default.removeItem(at: storage)
    }
}
