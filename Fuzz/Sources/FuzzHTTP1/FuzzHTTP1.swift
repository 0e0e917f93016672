import FuzzSupport
@_spi(Fuzzing) import PorticoServer

/// An HTTP/1.1 connection through the public listener's handlers (protocol selection, NIO's codec with the
/// head limits, pipelining, `Expect`, WebSocket upgrades, bodies whole and streamed, every clock): the first
/// byte sets the size of the reads, the rest is what the client sends. Whatever it sends, the connection
/// writes nothing, or answers that open with an HTTP/1.x status line.
public func fuzzHTTP1(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard size > 0, let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let input = Array(bytes.dropFirst())
    let output = ListenerFuzzing.connection(input, readSize: 1 + Int(bytes[0]) * 4)
    if !output.isEmpty, !output.starts(with: Array("HTTP/1.".utf8)) {
        FuzzReplay.violated("an HTTP/1.1 connection wrote something other than an answer")
    }
    return 0
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzHTTP1(data, size)
}

@_cdecl("FuzzHTTP1_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzHTTP1)
}
#else
@main enum Replay {
    static func main() { FuzzReplay.run(CommandLine.arguments, fuzzHTTP1) }
}
#endif
