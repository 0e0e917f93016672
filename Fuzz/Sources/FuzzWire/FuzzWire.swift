import FuzzSupport
import NIOCore
import PorticoCodec

/// The wire validator and `unpack` on arbitrary bytes, as a backend's answer of each message of the rich test
/// schema: either refused with an error, or transcoded to JSON that reads back as protobuf.
let transcoder = FuzzSchema.transcoder

let messages = ["jsontest.Everything", "jsontest.Scalars", "jsontest.WellKnown", "jsontest.Maps", "jsontest.Repeats"]

public func fuzzWire(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let protobuf = ByteBuffer(bytes: UnsafeBufferPointer(start: data, count: size))
    for message in messages {
        guard let json = try? transcoder.json(fromProtobuf: protobuf, message: message) else { continue }
        guard (try? transcoder.protobuf(fromJSON: json, message: message)) != nil else {
            FuzzReplay.violated("\(message): JSON made from a backend's bytes is refused")
        }
    }
    return 0
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzWire(data, size)
}

@_cdecl("FuzzWire_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzWire)
}
#else
@main enum Replay {
    static func main() { FuzzReplay.run(CommandLine.arguments, fuzzWire) }
}
#endif
