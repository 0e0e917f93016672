import Foundation

/// Runs a helper program (protoc, the Python peer) to completion and captures its output.
public enum ProcessRunner {
    /// The outcome of a finished process.
    public struct Result: Sendable {
        public var status: Int32
        public var standardOutput: Data
        public var standardError: String
    }

    /// Errors running a helper program.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `executable` with `arguments`, feeding `input` on standard input.
    ///
    /// Output is read on background threads while the process runs, so large outputs cannot deadlock.
    public static func run(_ executable: String, _ arguments: [String], input: Data = Data()) throws -> Result {
        let process = try SpawnedProcess(executable: executable, arguments: arguments)
        let outputBox = DataBox()
        let errorBox = DataBox()
        let group = DispatchGroup()
        for (handle, box) in [(process.standardOutput, outputBox), (process.standardError, errorBox)] {
            guard let handle else { continue }
            group.enter()
            DispatchQueue.global().async {
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

    /// Runs a program and returns its standard output, throwing with its standard error when it fails.
    public static func output(_ executable: String, _ arguments: [String], input: Data = Data()) throws -> Data {
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
