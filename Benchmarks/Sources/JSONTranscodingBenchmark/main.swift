// JSON ⇄ protobuf throughput of `JSONTranscoder` on a small, a medium and a large message of the JSON
// fixture schema. Writes each payload (JSON and binary) to the output folder for the Python side, then
// prints one line per payload and direction: messages and MB of JSON text per CPU-second.
//
// usage: JSONTranscodingBenchmark <fixture protos root> <output folder> [seconds per measurement] [payload]
// (naming a payload, `small`, `medium` or `large`, measures that one only: for profiling one size)
import Foundation
import NIOCore
import PorticoCodec
import PorticoSchema

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    print("usage: JSONTranscodingBenchmark <protos root> <output folder> [seconds]")
    exit(2)
}
let protosRoot = URL(fileURLWithPath: arguments[1])
let outputFolder = URL(fileURLWithPath: arguments[2])
let seconds = arguments.count > 3 ? Double(arguments[3]) ?? 2 : 2
let onlyPayload = arguments.count > 4 ? arguments[4] : nil

let pool = try ProtoLoader(includeRoots: [protosRoot]).load(files: ["jsontest/everything.proto"]).pool
let transcoder = try JSONTranscoder(descriptors: DescriptorPool(schema: pool))

/// An order line as the demo's orders service would send it.
func item(_ index: Int) -> String {
    #"{"productId":"sku-\#(index)-blue-widget","quantity":\#(index % 17 + 1),"unitPrice":\#(Double(index) * 1.25 + 0.99)}"#
}

let small = #"{"productId":"sku-1042","quantity":3,"unitPrice":19.99}"#
let medium = """
    {"scalars":{"fDouble":3.14159,"fFloat":2.5,"fInt64":"1234567890123","fUint64":"42","fInt32":-7,"fBool":true,\
    "fString":"Grüße aus Zürich \\"quoted\\" and escaped\\n","fBytes":"SGVsbG8sIFBvcnRpY28h","fEnum":"GREEN"},\
    "wellKnown":{"timestamp":"2026-11-23T06:00:00.125Z","duration":"1.5s","fieldMask":"scalars.fInt32,orderItems",\
    "structValue":{"tags":["a","b"],"nested":{"ok":true,"n":1.5}},"int32Wrapper":5,"stringWrapper":"w"},\
    "maps":{"mStringString":{"region":"eu-west","tier":"gold"},"mInt32":{"1":10,"2":20}},\
    "customName":"medium","orderItems":[\((0..<20).map(item).joined(separator: ","))]}
    """
let large = """
    {"customName":"large","repeats":{"rInt64":[\((0..<2000).map { "\"\($0 * 7919)\"" }.joined(separator: ","))],\
    "rDouble":[\((0..<2000).map { String(Double($0) / 3) }.joined(separator: ","))],\
    "rBytes":[\((0..<50).map { _ in "\"" + String(repeating: "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=", count: 1) + "\"" }.joined(separator: ","))]},\
    "orderItems":[\((0..<8000).map(item).joined(separator: ","))]}
    """

let payloads: [(name: String, message: String, json: String)] = [
    ("small", "jsontest.Item", small),
    ("medium", "jsontest.Everything", medium),
    ("large", "jsontest.Everything", large),
]

try FileManager.default.createDirectory(at: outputFolder, withIntermediateDirectories: true)

/// Seconds of CPU time this thread has used: the machine is shared, so rates are per CPU-second, not
/// per wall-clock second (the Python side measures the same way).
func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func measure(_ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<20 { try body() }
    var iterations = 0
    let start = cpuSeconds()
    var elapsed: Double = 0
    repeat {
        for _ in 0..<10 { try body() }
        iterations += 10
        elapsed = cpuSeconds() - start
    } while elapsed < seconds
    return Double(iterations) / elapsed
}

for payload in payloads where onlyPayload == nil || onlyPayload == payload.name {
    let jsonBuffer = ByteBuffer(string: payload.json)
    let binary = try transcoder.protobuf(fromJSON: jsonBuffer, message: payload.message)
    let canonical = try transcoder.json(fromProtobuf: binary, message: payload.message)
    try Data(payload.json.utf8).write(to: outputFolder.appendingPathComponent("\(payload.name).json"))
    try Data(binary.readableBytesView).write(to: outputFolder.appendingPathComponent("\(payload.name).binpb"))
    let jsonBytes = Double(jsonBuffer.readableBytes)
    let outBytes = Double(canonical.readableBytes)
    let toProtobuf = try measure { _ = try transcoder.protobuf(fromJSON: jsonBuffer, message: payload.message) }
    let toJSON = try measure { _ = try transcoder.json(fromProtobuf: binary, message: payload.message) }
    let name = payload.name.padding(toLength: 6, withPad: " ", startingAt: 0)
    let rates = String(format: "json→pb %10.0f msg/s %8.1f MB/s   pb→json %10.0f msg/s %8.1f MB/s",
                       toProtobuf, toProtobuf * jsonBytes / 1e6, toJSON, toJSON * outBytes / 1e6)
    print("swift  \(name) \(rates)   (json \(Int(jsonBytes)) B in, \(Int(outBytes)) B out, pb \(binary.readableBytes) B)")
}
