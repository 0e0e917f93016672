import FuzzSupport
import PorticoSchema

/// The `.proto` lexer, parser and resolver on arbitrary text: a file either loads or is refused with
/// diagnostics, and never crashes or hangs the loader.
public func fuzzProtoParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? ProtoLoader(sources: ["fuzz/v1/fuzz.proto": text]).load(files: ["fuzz/v1/fuzz.proto"])
    return 0
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzProtoParser(data, size)
}

@_cdecl("FuzzProtoParser_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzProtoParser)
}
#else
@main enum Replay {
    static func main() { FuzzReplay.run(CommandLine.arguments, fuzzProtoParser) }
}
#endif
