import FuzzSupport
import PorticoConfig

/// The mapping-file reader (YAML, `${VAR}` expansion, the strict readers of every section) on arbitrary
/// bytes: up to the first NUL is `gateway.yaml`, the rest a backend file. The files either load or are
/// refused with diagnostics.
public func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let split = bytes.firstIndex(of: 0) ?? bytes.endIndex
    let gateway = String(decoding: bytes[..<split], as: UTF8.self)
    let backend = split < bytes.endIndex ? String(decoding: bytes[(split + 1)...], as: UTF8.self) : ""
    _ = try? MappingsLoader(environment: ["ORDERS_ADDR": "127.0.0.1:50052"]).load(sources: [("gateway.yaml", gateway), ("backend.yaml", backend)])
    return 0
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzConfig(data, size)
}

@_cdecl("FuzzConfig_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzConfig)
}
#else
@main enum Replay {
    static func main() { FuzzReplay.run(CommandLine.arguments, fuzzConfig) }
}
#endif
