import Foundation

/// Runs a helper program (protoc, the Python peer) to completion and captures its output.
package enum ProcessRunner {
    /// The outcome of a finished process.
    package struct Result: Sendable {
        package var status: Int32
        package var standardOutput: Data
        package var standardError: String
    }

    /// Errors running a helper program.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// Runs `executable` with `arguments`, feeding `input` on standard input.
    ///
    /// Output is read on background threads while the process runs, so large outputs cannot deadlock.
    package static func run(_ executable: String, _ arguments: [String], input: Data = Data()) throws -> Result {
        let process = try SpawnedProcess(executable: executable, arguments: arguments)
        let outputBox = DataBox()
        let errorBox = DataBox()
        let group = DispatchGroup()
        for (handle, box) in [(process.standardOutput, outputBox), (process.standardError, errorBox)] {
            guard let handle else { continue }
            group.enter()
            BlockingThread.start {
                box.data = handle.readDataToEndOfFile()
                group.leave()
            }
        }
        process.standardInput.write(input)
        try process.standardInput.close()
        let status = process.wait()
        group.wait()
        return Result(
            status: status,
            standardOutput: outputBox.data,
            standardError: String(decoding: errorBox.data, as: UTF8.self)
        )
    }

    /// As ``run(_:_:input:)``, waiting on a thread of its own: an async test that waited for a process on its own
    /// thread would hold one of the few cooperative threads every other test needs (on two cores, two), and
    /// stall their clients long enough for the gateway's request timeouts to fire. Not a Dispatch global queue
    /// either: on Linux the cooperative pool is drawn from the same threads.
    package static func run(_ executable: String, _ arguments: [String], input: Data = Data()) async throws -> Result {
        try await BlockingThread.value { try run(executable, arguments, input: input) as Result }
    }

    /// As ``output(_:_:input:)``, waiting on a thread of its own (see ``run(_:_:input:)-async``).
    package static func output(_ executable: String, _ arguments: [String], input: Data = Data()) async throws -> Data {
        let result = try await run(executable, arguments, input: input)
        guard result.status == 0 else {
            throw Failure(description: "\(executable) exited \(result.status): \(result.standardError)")
        }
        return result.standardOutput
    }

    /// The first executable file called `name` in the directories of `PATH`, as a shell would find it.
    package static func executable(named name: String) -> String? {
        ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a program and returns its standard output, throwing with its standard error when it fails.
    package static func output(_ executable: String, _ arguments: [String], input: Data = Data()) throws -> Data {
        let result = try run(executable, arguments, input: input)
        guard result.status == 0 else {
            throw Failure(description: "\(executable) exited \(result.status): \(result.standardError)")
        }
        return result.standardOutput
    }
}

private final class DataBox: @unchecked Sendable {
    var data = Data()
}
