import FuzzSupport
@_spi(Fuzzing) import PorticoServer

/// An HTTP/2 connection through the public listener (nghttp2's server session with the listener's limits,
/// abuse budgets, bodies whole and streamed with their flow-control windows, streamed answers, every clock):
/// the first byte sets the size of the reads, the rest are the frames the client sends after the connection
/// preface. Whatever they are, the server opens with SETTINGS and writes only whole frames.
public func fuzzHTTP2(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard size > 0, let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let input = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) + bytes.dropFirst()
    let output = ListenerFuzzing.connection(input, readSize: 1 + Int(bytes[0]) * 16)
    guard !output.isEmpty else { return 0 }
    guard output.count >= 9, output[3] == 0x4, output[5...8].allSatisfy({ $0 == 0 }) else {
        FuzzReplay.violated("the server did not open with a SETTINGS frame")
    }
    var offset = 0
    while offset < output.count {
        guard output.count - offset >= 9 else { FuzzReplay.violated("the server wrote a partial frame header") }
        let length = Int(output[offset]) << 16 | Int(output[offset + 1]) << 8 | Int(output[offset + 2])
        offset += 9 + length
    }
    if offset != output.count {
        FuzzReplay.violated("the server's last frame is cut short")
    }
    return 0
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzHTTP2(data, size)
}

@_cdecl("FuzzHTTP2_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzHTTP2)
}
#else
@main enum Replay {
    static func main() { FuzzReplay.run(CommandLine.arguments, fuzzHTTP2) }
}
#endif
