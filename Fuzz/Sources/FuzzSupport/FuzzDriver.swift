#if FUZZING
import CFuzzerDriver

/// Starts libFuzzer on a target's entry point. SwiftPM links an executable's `main` to `<Target>_main`, so
/// each target defines that function (under `-DFUZZING`) and hands its arguments and entry point here.
public enum FuzzDriver {
    public static func run(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
        _ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt {
        var argc = argc
        var argv = argv
        return LLVMFuzzerRunDriver(&argc, &argv, body)
    }
}
#endif
