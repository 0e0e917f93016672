import FuzzSupport
import PorticoCodec

/// The `FileDescriptorSet` loader (`protoc --descriptor_set_out`) on arbitrary bytes: a set either loads or
/// is refused with a wire error.
public func fuzzDescriptorSet(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? FileDescriptorSetLoader().load(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzDescriptorSet(data, size)
}

@_cdecl("FuzzDescriptorSet_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzDescriptorSet)
}
#else
@main enum Replay {
    static func main() { FuzzReplay.run(CommandLine.arguments, fuzzDescriptorSet) }
}
#endif
