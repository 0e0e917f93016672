import Foundation
import PorticoSchema
import PorticoTesting
import Testing
@testable import PorticoCodec

/// Wire interop with Python protobuf (upb): 500 seeded random messages per fixture type, both directions,
/// and unknown fields through an older schema.
@Suite struct PythonInteropTests {
    @Test func porticoMatchesUpbBothWays() async throws {
        let set = try await WireFixtures.compile(WireFixtures.kindsFiles)
        defer { try? FileManager.default.removeItem(atPath: set.path) }
        let codec = MessageCodec(pool: set.pool)
        let generated = try await PythonPeer.runScript(
            "wire_interop.py", ["generate", set.path, "500", "20261123"] + WireFixtures.messageTypes
        )
        var checks: [[String: Any]] = []
        var decodeFailures: [String] = []
        var byteMismatches: [String] = []
        var perType: [String: Int] = [:]
        var fuzzSeeds: [[UInt8]] = []
        for line in try WireFixtures.lines(generated) {
            let type = line["type"] as! String
            let upbBytes = Hex.decode(line["hex"] as! String)
            let expected = try CanonicalJSON.message(line["value"]!, layout: set.pool.message(named: type)!)
            perType[type, default: 0] += 1
            if type == "wire.kinds.v1.Everything", fuzzSeeds.count < 64 { fuzzSeeds.append(upbBytes) }
            do {
                let decoded = try codec.decode(upbBytes, as: type)
                if decoded != expected { decodeFailures.append("\(type) \(line["hex"]!): \(decoded) != \(expected)") }
            } catch {
                decodeFailures.append("\(type) \(line["hex"]!): \(error)")
            }
            let packed = try codec.encode(expected)
            if packed != upbBytes {
                let at = (0..<min(packed.count, upbBytes.count)).first { packed[$0] != upbBytes[$0] } ?? min(packed.count, upbBytes.count)
                byteMismatches.append("\(type) differs at byte \(at) of \(upbBytes.count)\n  upb     \(line["hex"]!)\n  portico \(Hex.encode(packed))")
            }
            checks.append(["type": type, "hex": Hex.encode(packed), "expect": line["value"]!])
        }
        #expect(perType.count == WireFixtures.messageTypes.count && perType.values.allSatisfy { $0 == 500 })
        #expect(decodeFailures.isEmpty, "\(decodeFailures.count) decode failures, first: \(decodeFailures.prefix(2))")
        #expect(byteMismatches.isEmpty, "\(byteMismatches.count) byte mismatches in \(Set(byteMismatches.map { $0.prefix(while: { $0 != " " }) })), first: \(byteMismatches.min { $0.count < $1.count } ?? "")")
        let report = try await PythonPeer.runScript("wire_interop.py", ["check", set.path], input: try WireFixtures.jsonLines(checks))
        let summary = try JSONSerialization.jsonObject(with: report) as! [String: Any]
        #expect(summary["checked"] as? Int == checks.count)
        #expect(summary["failureCount"] as? Int == 0, "\(summary["failures"] ?? "")")
        let everything = try #require(set.pool.message(named: "wire.kinds.v1.Everything"))
        let outcome = try FuzzLoop.run(layout: everything, seeds: fuzzSeeds, iterations: 20_000, seed: 42)
        #expect(outcome.accepted + outcome.rejected == 20_000)
    }

    @Test func unknownFieldsSurviveAnOlderSchema() async throws {
        let newer = try await WireFixtures.compile(["wire/evolution/v2/record.proto"])
        let older = try await WireFixtures.compile(["wire/evolution/v1/record.proto"])
        defer {
            try? FileManager.default.removeItem(atPath: newer.path)
            try? FileManager.default.removeItem(atPath: older.path)
        }
        let generated = try await PythonPeer.runScript("wire_interop.py", ["evolve", newer.path, "500", "7", "wire.evolution.Record"])
        let layout = try #require(older.pool.message(named: "wire.evolution.Record"))
        let arena = Arena()
        defer { withExtendedLifetime(arena) {} }
        var pairs: [[String: Any]] = []
        var sawUnknown = 0
        for line in try WireFixtures.lines(generated) {
            let original = Hex.decode(line["hex"] as! String)
            let message = try original.withUnsafeBytes { try MessageHandle.unpack($0, as: layout, in: arena) }
            if message.unknownFieldCount > 0 { sawUnknown += 1 }
            pairs.append(["type": "wire.evolution.Record", "a": line["hex"]!, "b": Hex.encode(message.pack())])
            arena.reset()
        }
        #expect(pairs.count == 500 && sawUnknown > 100)
        let report = try await PythonPeer.runScript("wire_interop.py", ["same", newer.path], input: try WireFixtures.jsonLines(pairs))
        let summary = try JSONSerialization.jsonObject(with: report) as! [String: Any]
        #expect(summary["checked"] as? Int == 500)
        #expect(summary["failureCount"] as? Int == 0, "\(summary["failures"] ?? "")")
    }
}
