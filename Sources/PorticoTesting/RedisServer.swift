import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A real `redis-server` (Debian's `redis-server` package) on 127.0.0.1 and a free port, without persistence,
/// for the Redis client and shared rate-limit tests.
///
/// Readiness is its log's "Ready to accept connections" line, then a `PING` answered `PONG`; never a sleep.
/// ``stop()`` kills it as a crash would; ``start(port:)`` on the same port brings a fresh one back.
package final class RedisServer: @unchecked Sendable {
    /// The port it listens on.
    package let port: Int
    private let process: SpawnedProcess
    private let folder: URL
    private let isStopped = Mutex(false)

    private init(port: Int, process: SpawnedProcess, folder: URL) {
        self.port = port
        self.process = process
        self.folder = folder
    }

    /// Errors starting the server.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// `redis://127.0.0.1:<port>`.
    package var url: String { "redis://127.0.0.1:\(port)" }

    /// Starts `redis-server` on `port` (a free one when `nil`) and waits until it answers `PING`.
    package static func start(port: Int? = nil) async throws -> RedisServer {
        guard let executable = ProcessRunner.executable(named: "redis-server") else {
            throw Failure(description: "redis-server is not installed: run `make deps` (Debian's redis-server package)")
        }
        var attempts = 0
        while true {
            attempts += 1
            let chosen = try port ?? freePort()
            if let server = try await launch(executable, port: chosen) { return server }
            if port != nil || attempts == 3 { throw Failure(description: "redis-server did not start on port \(chosen)") }
        }
    }

    private static func launch(_ executable: String, port: Int) async throws -> RedisServer? {
        let folder = try Scratch.folder("redis")
        let process = try SpawnedProcess(executable: executable, arguments: [
            "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
            "--dir", folder.path, "--logfile", "",
        ])
        let ready = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            BlockingThread.start { readLog(process.standardOutput) { continuation.resume(returning: $0) } }
        }
        guard ready, try await BlockingThread.value({ ping(port: port) }) else {
            process.kill()
            process.wait()
            try? FileManager.default.removeItem(at: folder)
            return nil
        }
        return RedisServer(port: port, process: process, folder: folder)
    }

    /// Kills the server (`SIGKILL`, as a crash) and waits for it to exit; once, however often it is called.
    package func stop() {
        guard !isStopped.withLock({ stopped in defer { stopped = true }; return stopped }) else { return }
        process.kill()
        try? process.standardInput.close()
        process.wait()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Reads the log to its end (a full pipe would stall the server), calling `ready` once: `true` at "Ready to
    /// accept connections", `false` when the log ends first.
    private static func readLog(_ handle: FileHandle, ready: (Bool) -> Void) {
        var reported = false
        var text = ""
        while case let chunk = handle.availableData, !chunk.isEmpty {
            guard !reported else { continue }
            text += String(decoding: chunk, as: UTF8.self)
            if text.contains("Ready to accept connections") {
                reported = true
                ready(true)
            }
        }
        if !reported { ready(false) }
    }

    /// Sends `PING` on a blocking socket; whether `+PONG` came back.
    private static func ping(port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0, write(socket, "PING\r\n", 6) == 6 else { return false }
        var reply = [UInt8](repeating: 0, count: 7)
        var count = 0
        while count < 7 {
            let read = reply.withUnsafeMutableBytes { Glibc.read(socket, $0.baseAddress! + count, 7 - count) }
            guard read > 0 else { return false }
            count += read
        }
        return reply == Array("+PONG\r\n".utf8)
    }

    /// A port no socket is bound to at the moment: the kernel's choice for port 0.
    private static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "cannot open a socket") }
        defer { close(socket) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "cannot bind a socket to 127.0.0.1:0") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
