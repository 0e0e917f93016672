import Foundation
import PorticoCodec
import PorticoSchema

// Times loading a schema of many `.proto` files: Portico's parser (`ProtoLoader.loadAll`) on the text, and
// the FileDescriptorSet loader on protoc's descriptor set of the same files.
//
// Usage: SchemaLoadTiming [FILES] [ROUNDS]   (defaults 100 files, 20 rounds)

let arguments = CommandLine.arguments
let fileCount = arguments.count > 1 ? Int(arguments[1]) ?? 100 : 100
let rounds = arguments.count > 2 ? Int(arguments[2]) ?? 20 : 20

/// One generated file: three messages with twelve fields of mixed kinds, an enum, a map, a oneof, and a
/// service with annotated methods; each file imports the previous one and uses its types.
func source(_ index: Int) -> String {
    let previous = index > 0 ? "import \"bench/v1/file\(index - 1).proto\";\n" : ""
    let reference = index > 0 ? "bench.v1.f\(index - 1).Item" : "google.protobuf.Timestamp"
    var text = """
        syntax = "proto3";
        package bench.v1.f\(index);
        import "google/api/annotations.proto";
        import "google/protobuf/timestamp.proto";
        \(previous)
        enum Kind { KIND_UNSPECIFIED = 0; KIND_A = 1; KIND_B = 2; }

        """
    for name in ["Item", "Request", "Response"] {
        text += """
            message \(name) {
              string id = 1;
              int64 count = 2;
              repeated string tags = 3;
              map<string, int32> scores = 4;
              Kind kind = 5;
              \(reference) link = 6;
              optional double ratio = 7;
              oneof choice { string text = 8; bytes data = 9; }
              google.protobuf.Timestamp at = 10;
              repeated fixed32 codes = 11;
              bool active = 12;
            }

            """
    }
    text += """
        service Service\(index) {
          rpc Get(Request) returns (Response) { option (google.api.http) = { get: "/v1/f\(index)/{id}" }; }
          rpc Create(Request) returns (Response) { option (google.api.http) = { post: "/v1/f\(index)" body: "*" }; }
        }

        """
    return text
}

let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("portico-schema-bench-\(UUID().uuidString)")
let root = scratch.appendingPathComponent("protos")
let folder = root.appendingPathComponent("bench/v1")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: scratch) }
for index in 0..<fileCount {
    try Data(source(index).utf8).write(to: folder.appendingPathComponent("file\(index).proto"))
}
let includes = scratch.appendingPathComponent("include")
for (path, text) in BuiltInProtos.files where path.hasPrefix("google/api/") {
    let url = includes.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
}
let setURL = scratch.appendingPathComponent("set.binpb")
let protoc = Process()
protoc.executableURL = URL(fileURLWithPath: "/usr/bin/protoc")
protoc.arguments = ["-I\(root.path)", "-I\(includes.path)", "--include_imports", "--descriptor_set_out=\(setURL.path)"]
    + (0..<fileCount).map { "bench/v1/file\($0).proto" }
let protocStart = ContinuousClock.now
try protoc.run()
protoc.waitUntilExit()
let protocTime = ContinuousClock.now - protocStart
let setBytes = [UInt8](try Data(contentsOf: setURL))

func measure(_ label: String, _ body: () throws -> Int) rethrows {
    var best = Duration.seconds(1_000)
    var total = Duration.zero
    var messages = 0
    for _ in 0..<rounds {
        let start = ContinuousClock.now
        messages = try body()
        let elapsed = ContinuousClock.now - start
        best = min(best, elapsed)
        total += elapsed
    }
    let mean = total / rounds
    print("\(label): \(messages) message types; mean \(mean.formatted(.units(allowed: [.milliseconds], fractionalPart: .show(length: 2)))), best \(best.formatted(.units(allowed: [.milliseconds], fractionalPart: .show(length: 2))))")
}

print("\(fileCount) generated .proto files, \(rounds) rounds; protoc --descriptor_set_out took \(protocTime.formatted(.units(allowed: [.milliseconds], fractionalPart: .show(length: 1)))) once (process included)")
try measure("ProtoLoader.loadAll (parse, resolve, check)") {
    try ProtoLoader(includeRoots: [root]).loadAll().pool.messages.count
}
try measure("FileDescriptorSetLoader (protobuf-c decode of protoc's set)") {
    try FileDescriptorSetLoader().load(setBytes).messages.count
}
try measure("DescriptorPool (protobuf-c descriptors for every message)") {
    try DescriptorPool(schema: try FileDescriptorSetLoader().load(setBytes)).messageNames.count
}
