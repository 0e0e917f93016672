import Foundation
import NIOCore
import PorticoCore
import PorticoTesting
import Testing

@testable import PorticoCodec

/// Portico's JSON codec against Python protobuf's `json_format` (upb) on generated messages of the fixture
/// schema: the same JSON (compared as parsed JSON) from the same binary, and the same message from the
/// same JSON.
@Suite("JSON codec differential against Python json_format")
struct JSONDifferentialTests {
    static let messageCount = 2_400
    static let seed = 20_261_123

    private static func options(_ record: [String: Any]) -> JSONTranscoder.Options {
        let flags = record["options"] as? [String: Bool] ?? [:]
        return JSONTranscoder.Options(
            emitUnpopulatedFields: flags["emitUnpopulatedFields"] ?? false,
            enumsAsNumbers: flags["enumsAsNumbers"] ?? false,
            useProtoFieldNames: flags["useProtoFieldNames"] ?? false
        )
    }

    @Test("2,400 seeded messages: equal JSON out, equal message in")
    func differential() async throws {
        let scratch = try Scratch.path("json.binpb")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try await Protoc.descriptorSet(files: ["jsontest/everything.proto"], includeRoots: [Fixtures.url("protos/json")]).write(to: scratch)
        let generated = try await PythonPeer.runScript("json_differential.py", ["generate", String(Self.seed), String(Self.messageCount), scratch.path])
        let lines = String(decoding: generated, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == Self.messageCount)

        var comparisons = Data()
        var transcodeFailures: [String] = []
        for line in lines {
            var record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let message = try #require(record["message"] as? String)
            let binaryText = try #require(record["binary"] as? String)
            let binary = try #require(Data(base64Encoded: binaryText))
            let pythonJSON = try #require(record["json"] as? String)
            let options = Self.options(record)
            do {
                let json = try JSONTestSchema.transcoder.json(fromProtobuf: ByteBuffer(bytes: binary), message: message, options: options)
                record["swift_json"] = String(buffer: json)
                let back = try JSONTestSchema.transcoder.protobuf(fromJSON: ByteBuffer(string: pythonJSON), message: message)
                record["swift_binary"] = Data(back.readableBytesView).base64EncodedString()
            } catch {
                transcodeFailures.append("\(message) \(pythonJSON): \(error)")
                continue
            }
            comparisons.append(try JSONSerialization.data(withJSONObject: record))
            comparisons.append(0x0A)
        }
        #expect(transcodeFailures.isEmpty, "\(transcodeFailures.prefix(5))")

        let summaryData = try await PythonPeer.runScript("json_differential.py", ["compare", scratch.path], input: comparisons)
        let summary = try #require(try JSONSerialization.jsonObject(with: summaryData) as? [String: Any])
        #expect(summary["checked"] as? Int == Self.messageCount - transcodeFailures.count)
        let failures = summary["failures"] as? [Any] ?? []
        #expect(failures.isEmpty, "\(failures.count) differences; first: \(failures.prefix(3))")
    }
}
