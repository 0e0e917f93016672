import Foundation
import Logging
import PorticoServer
import PorticoTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The JSON log handler and the non-blocking writer it shares with the access log, read back from a pipe.
@Suite struct JSONLoggingTests {
    @Test func aRecordIsOneJSONLineWithTimeLevelMessageAndMetadata() throws {
        let lines = try Self.captured { writer in
            var logger = Logger(label: "portico.test") { JSONLogHandler(label: $0, level: .info, writer: writer) }
            logger[metadataKey: "backend"] = "users"
            logger.info("circuit breaker opened", metadata: ["request_id": "r-1", "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"])
            logger.debug("below the level: not written")
            logger.warning("quote \" and newline\n stay inside the string")
        }
        #expect(lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: String])
        #expect(first["level"] == "info")
        #expect(first["logger"] == "portico.test")
        #expect(first["message"] == "circuit breaker opened")
        #expect(first["backend"] == "users")
        #expect(first["request_id"] == "r-1")
        #expect(first["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736")
        let time = try #require(first["time"])
        #expect(time.count == 24 && time.hasSuffix("Z") && time.dropFirst(10).hasPrefix("T"), "RFC 3339 UTC with milliseconds: \(time)")
        let second = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: String])
        #expect(second["message"] == "quote \" and newline\n stay inside the string")
    }

    @Test func linesFromManyThreadsNeverInterleave() throws {
        let lines = try Self.captured { writer in
            DispatchQueue.concurrentPerform(iterations: 8) { thread in
                for index in 0..<500 { writer.write(line: Array("{\"thread\":\(thread),\"index\":\(index)}".utf8)) }
            }
        }
        #expect(lines.count == 4000)
        #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
    }

    @Test func aStalledReaderMakesTheWriterDropLinesInsteadOfBlocking() throws {
        var descriptors: [Int32] = [0, 0]
        #expect(pipe(&descriptors) == 0)
        let writer = LogWriter(descriptor: descriptors[1], maxPendingBytes: 4096)
        let line = [UInt8](repeating: UInt8(ascii: "x"), count: 1000)
        for _ in 0..<1000 { writer.write(line: line) }
        #expect(writer.droppedLines > 0, "nobody reads the pipe: the pipe and the pending bytes fill, later lines are dropped")

        let reader = FileHandle(fileDescriptor: descriptors[0], closeOnDealloc: true)
        let drained = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = reader.readDataToEndOfFile()
            drained.signal()
        }
        writer.flush()
        close(descriptors[1])
        drained.wait()
    }

    @Test func lifecycleServicesDescribeThemselvesWithoutTheEnvironment() {
        let compiler = GatewayCompiler(
            protosDirectory: Fixtures.protosDirectory, mappingsDirectory: Fixtures.mappingsDirectory,
            environment: ["JWT_SECRET": "s3cr3t-value-never-logged"]
        )
        #expect(!String(describing: compiler).contains("s3cr3t"))
        #expect(String(describing: compiler).contains("Mappings"))
    }

    /// Runs `body` with a writer on a pipe and returns the lines written.
    private static func captured(_ body: (LogWriter) -> Void) throws -> [String] {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else { throw POSIXError(.EIO) }
        let reader = FileHandle(fileDescriptor: descriptors[0], closeOnDealloc: true)
        let output = DispatchQueue(label: "reader")
        nonisolated(unsafe) var data = Data()
        let done = DispatchSemaphore(value: 0)
        output.async {
            data = reader.readDataToEndOfFile()
            done.signal()
        }
        let writer = LogWriter(descriptor: descriptors[1])
        body(writer)
        writer.flush()
        close(descriptors[1])
        done.wait()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
