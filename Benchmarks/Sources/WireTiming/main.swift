import Foundation
import PorticoCodec

// A plain release-mode timing loop over the same messages as WireBenchmarks (best of 7 rounds, ns per
// operation), for quick comparisons and profiling without the benchmark harness.
// Usage: swift run -c release WireTiming   (after `python python/time_upb.py .data`)
//        WireTiming MESSAGE OPERATION COUNT   runs one loop only (small|medium|large, unpack|pack), for
//        `valgrind --tool=callgrind`: instruction counts per operation without the timing rounds.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
// WIRE_TIMING_DESCRIPTORS names a ready descriptor set (protoc cannot be started under valgrind).
let pool: DescriptorPool
if let path = ProcessInfo.processInfo.environment["WIRE_TIMING_DESCRIPTORS"] {
    pool = try DescriptorPool(schema: FileDescriptorSetLoader().load([UInt8](Data(contentsOf: URL(fileURLWithPath: path)))))
} else {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("portico-timing-\(UUID().uuidString).binpb")
    let protoc = Process()
    protoc.executableURL = URL(fileURLWithPath: "/usr/bin/protoc")
    protoc.arguments = ["-I\(root.appendingPathComponent("Protos").path)", "--include_imports",
                        "--descriptor_set_out=\(output.path)", "bench/v1/bench.proto"]
    try protoc.run()
    protoc.waitUntilExit()
    pool = try DescriptorPool(schema: FileDescriptorSetLoader().load([UInt8](Data(contentsOf: output))))
    try? FileManager.default.removeItem(at: output)
}

// WIRE_TIMING_CLOCK=cpu times with the thread's CPU clock instead of the wall clock: on a machine shared
// with other jobs, time spent descheduled then does not count.
let cpuClock = ProcessInfo.processInfo.environment["WIRE_TIMING_CLOCK"] == "cpu"

func now() -> UInt64 {
    guard cpuClock else { return DispatchTime.now().uptimeNanoseconds }
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

func best(_ iterations: Int, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<7 {
        let start = now()
        for _ in 0..<iterations { try body() }
        best = min(best, Double(now() - start) / Double(iterations))
    }
    return best
}

let messages = [("small", "bench.v1.Order"), ("medium", "bench.v1.OrderList"), ("large", "bench.v1.Blob")]
let arguments = CommandLine.arguments
if arguments.count == 4, let (name, type) = messages.first(where: { $0.0 == arguments[1] }), let count = Int(arguments[3]) {
    let bytes = [UInt8](try Data(contentsOf: root.appendingPathComponent(".data/\(name).bin")))
    let workspace = WireWorkspace(pool: pool)
    if arguments[2] == "pack" {
        let message = try workspace.decode(bytes, as: type)
        for _ in 0..<count { _ = message.encode() }
    } else {
        for _ in 0..<count {
            _ = try workspace.decode(bytes, as: type)
            workspace.reset()
        }
    }
    exit(0)
}

print("message     bytes  unpack (ns)  pack (ns)  size only (ns)")
for (name, type) in messages {
    let bytes = [UInt8](try Data(contentsOf: root.appendingPathComponent(".data/\(name).bin")))
    let iterations = name == "large" ? 200 : 20_000
    let workspace = WireWorkspace(pool: pool)
    let unpack = try best(iterations) {
        _ = try workspace.decode(bytes, as: type)
        workspace.reset()
    }
    let kept = WireWorkspace(pool: pool)
    let message = try kept.decode(bytes, as: type)
    precondition(message.encode() == bytes)
    let pack = best(iterations) { _ = message.encode() }
    let size = best(iterations) { _ = message.encodedSize }
    print(String(format: "%-7@ %9d %12.0f %10.0f %15.0f", name as NSString, bytes.count, unpack, pack, size))
}
