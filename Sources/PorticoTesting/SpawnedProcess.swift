import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn` and reaped with `waitpid`, with pipes for its standard streams.
///
/// Foundation's `Process.waitUntilExit` on Linux missed a child's exit when two tests waited at once on a
/// two-core machine: the child stayed a zombie and both waiting threads, the whole cooperative pool, hung.
/// `waitpid` on the child's own pid cannot miss it. The child gets its three standard streams and no other
/// descriptor of this process, as with Foundation: no inherited pipe holds a reader's end-of-file back, and no
/// inherited socket keeps a stopped server's port bound.
final class SpawnedProcess: @unchecked Sendable {
    /// Errors starting a process.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let pid: pid_t
    /// Writes to the child's standard input.
    let standardInput: FileHandle
    /// Reads the child's standard output.
    let standardOutput: FileHandle
    /// Reads the child's standard error; `nil` when the child writes to this process's.
    let standardError: FileHandle?

    /// Starts `executable` with `arguments` and this process's environment; its standard error is captured
    /// when `capturesStandardError` is set, and this process's otherwise.
    init(executable: String, arguments: [String], capturesStandardError: Bool = true) throws {
        let input = try Self.pipe()
        let output = try Self.pipe()
        let error = capturesStandardError ? try Self.pipe() : nil
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input.read, 0)
        posix_spawn_file_actions_adddup2(&actions, output.write, 1)
        if let error { posix_spawn_file_actions_adddup2(&actions, error.write, 2) }
        // Descriptors the test process has open without close-on-exec (NIO's sockets among them) must not
        // reach the child: a listening socket it inherited would outlive its server and keep the port bound.
        guard Self.closeFrom(&actions, 3) == 0 else {
            throw Failure(description: "cannot ask posix_spawn to close inherited descriptors")
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child = pid_t()
        let status = argv.withUnsafeBufferPointer { pointer in
            posix_spawn(&child, executable, &actions, nil, pointer.baseAddress!, environ)
        }
        close(input.read)
        close(output.write)
        if let error { close(error.write) }
        guard status == 0 else {
            [input.write, output.read, error?.read].compactMap(\.self).forEach { _ = close($0) }
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(status)))")
        }
        pid = child
        standardInput = FileHandle(fileDescriptor: input.write, closeOnDealloc: true)
        standardOutput = FileHandle(fileDescriptor: output.read, closeOnDealloc: true)
        standardError = error.map { FileHandle(fileDescriptor: $0.read, closeOnDealloc: true) }
    }

    /// Waits for the child to exit; returns its exit status, or 128 plus the signal that ended it.
    @discardableResult
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// Ends the child at once (`SIGKILL`): it cannot run any shutdown of its own.
    func kill() {
        Glibc.kill(pid, SIGKILL)
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which the Glibc module does not
    /// import.
    private static let closeFrom: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32 = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            fatalError("glibc 2.34 or later is needed: posix_spawn_file_actions_addclosefrom_np is missing")
        }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    private static func pipe() throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [0, 0]
        guard Glibc.pipe(&ends) == 0 else {
            throw Failure(description: "cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        return (ends[0], ends[1])
    }
}
