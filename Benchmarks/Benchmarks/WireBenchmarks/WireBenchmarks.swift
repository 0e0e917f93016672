import Benchmark
import Foundation
import PorticoCodec

/// Pack and unpack through protobuf-c on run-time descriptors, for the three messages that
/// `Benchmarks/python/time_upb.py` writes to `Benchmarks/.data` (and times in Python upb).
let benchmarks: @Sendable () -> Void = {
    let fixtures: WireBenchFixtures
    do {
        fixtures = try WireBenchFixtures.load()
    } catch {
        fatalError("WireBenchmarks: \(error) — run `python Benchmarks/python/time_upb.py Benchmarks/.data` first")
    }
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        timeUnits: .nanoseconds,
        maxDuration: .seconds(3)
    )
    for sample in fixtures.samples {
        Benchmark("unpack \(sample.name) (\(sample.bytes.count) B)", configuration: configuration) { benchmark in
            let workspace = WireWorkspace(pool: fixtures.pool)
            for _ in benchmark.scaledIterations {
                blackHole(try workspace.decode(sample.bytes, as: sample.typeName))
                workspace.reset()
            }
        }
        Benchmark("pack \(sample.name) (\(sample.bytes.count) B)", configuration: configuration) { benchmark in
            let workspace = WireWorkspace(pool: fixtures.pool)
            let message = try workspace.decode(sample.bytes, as: sample.typeName)
            for _ in benchmark.scaledIterations {
                blackHole(message.encode())
            }
        }
    }
}

/// The benchmark schema (compiled by protoc once, loaded by Portico's descriptor-set loader) and messages.
struct WireBenchFixtures: Sendable {
    struct Sample: Sendable {
        let name: String
        let typeName: String
        let bytes: [UInt8]
    }

    let pool: DescriptorPool
    let samples: [Sample]

    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func load() throws -> WireBenchFixtures {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("portico-bench-\(UUID().uuidString).binpb")
        defer { try? FileManager.default.removeItem(at: output) }
        let protoc = Process()
        protoc.executableURL = URL(fileURLWithPath: "/usr/bin/protoc")
        protoc.arguments = ["-I\(root.appendingPathComponent("Protos").path)", "--include_imports",
                            "--descriptor_set_out=\(output.path)", "bench/v1/bench.proto"]
        try protoc.run()
        protoc.waitUntilExit()
        let schema = try FileDescriptorSetLoader().load([UInt8](Data(contentsOf: output)))
        let data = root.appendingPathComponent(".data")
        let samples = try [("small", "bench.v1.Order"), ("medium", "bench.v1.OrderList"), ("large", "bench.v1.Blob")].map {
            Sample(name: $0.0, typeName: $0.1, bytes: [UInt8](try Data(contentsOf: data.appendingPathComponent("\($0.0).bin"))))
        }
        return WireBenchFixtures(pool: try DescriptorPool(schema: schema), samples: samples)
    }
}
