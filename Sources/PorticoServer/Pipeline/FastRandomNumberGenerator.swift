import Synchronization

/// Random numbers for request ids and load-balancing choices, without a system call per number: SplitMix64
/// over one atomic counter that the system's generator seeds once per process.
///
/// Not for secrets: the numbers are unpredictable only as far as the seed is unknown.
/// `SystemRandomNumberGenerator` reads the kernel (`getrandom`) on every call, which was two system calls
/// per request for its id alone.
struct FastRandomNumberGenerator: RandomNumberGenerator {
    private static let state = Atomic<UInt64>({
        var system = SystemRandomNumberGenerator()
        return system.next()
    }())

    mutating func next() -> UInt64 {
        var mixed = Self.state.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
