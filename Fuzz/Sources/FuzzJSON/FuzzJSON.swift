import FuzzSupport
import NIOCore
import PorticoCodec

/// The JSON reader and transcoder on arbitrary bytes, for each message of the rich test schema: a JSON body
/// either is refused with an error or becomes protobuf that transcodes back to JSON, which transcodes to
/// protobuf again.
let transcoder = FuzzSchema.transcoder

let messages = ["jsontest.Everything", "jsontest.Item", "jsontest.WellKnown", "jsontest.Maps", "jsontest.Repeats"]

public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let json = ByteBuffer(bytes: UnsafeBufferPointer(start: data, count: size))
    for message in messages {
        guard let binary = try? transcoder.protobuf(fromJSON: json, message: message) else { continue }
        guard let canonical = try? transcoder.json(fromProtobuf: binary, message: message) else {
            FuzzReplay.violated("\(message): protobuf made from JSON does not transcode back")
        }
        guard (try? transcoder.protobuf(fromJSON: canonical, message: message)) != nil else {
            FuzzReplay.violated("\(message): the gateway's own JSON is refused")
        }
    }
    return 0
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzJSON(data, size)
}

@_cdecl("FuzzJSON_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzJSON)
}
#else
@main enum Replay {
    static func main() { FuzzReplay.run(CommandLine.arguments, fuzzJSON) }
}
#endif
