import Foundation
import FuzzSupport
@_spi(Fuzzing) import PorticoServer

/// Mapping files compiled against the demo's schema (`Protos/`): routes and their HttpRule bindings against
/// the services, renames against the messages, versions, policies, composites, caches, streams. Up to the
/// first NUL is `gateway.yaml`, the rest one backend's file. The files either compile or are refused with
/// problems; nothing they say crashes the compiler.
public func fuzzCompile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let split = bytes.firstIndex(of: 0) ?? bytes.endIndex
    let gateway = String(decoding: bytes[..<split], as: UTF8.self)
    let backend = split < bytes.endIndex ? String(decoding: bytes[(split + 1)...], as: UTF8.self) : ""
    _ = demo.compile(gateway: gateway, backend: backend)
    return 0
}

/// The compiler over the demo schema, loaded once per process.
private let demo: ConfigCompileFuzzing = {
    let root = FuzzReplay.fixtureProtos.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    do {
        return try ConfigCompileFuzzing(
            protosDirectory: root.appendingPathComponent("Protos").path, mappingsDirectory: root.appendingPathComponent("Mappings").path
        )
    } catch {
        fatalError("cannot load the demo schema: \(error)")
    }
}()

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzCompile(data, size)
}

@_cdecl("FuzzCompile_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzCompile)
}
#else
@main enum Replay {
    static func main() { FuzzReplay.run(CommandLine.arguments, fuzzCompile) }
}
#endif
