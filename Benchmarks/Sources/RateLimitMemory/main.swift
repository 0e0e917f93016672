// Measures the rate limiter's memory with many distinct keys, and its cost per decision.
//
// Usage: RateLimitMemory [keys] [capacity]
// Prints the resident set size before and after admitting `keys` distinct keys into a limiter that
// remembers at most `capacity` (the gateway's default max_keys is 1,000,000), then keeps going with as many
// new keys again to show that memory stays bounded once the capacity is reached.
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import PorticoCore
import PorticoPolicies

/// The process's resident set size, from `/proc/self/statm`.
func residentMiB() -> Double {
    guard let file = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(file) }
    var line = [UInt8](repeating: 0, count: 256)
    let count = fread(&line, 1, line.count, file)
    let fields = String(decoding: line.prefix(count), as: UTF8.self).split(separator: " ").compactMap { Int($0) }
    guard fields.count >= 2 else { return 0 }
    return Double(fields[1] * Int(sysconf(Int32(_SC_PAGESIZE)))) / 1_048_576
}

let arguments = CommandLine.arguments
let keys = arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000
let capacity = arguments.count > 2 ? Int(arguments[2]) ?? 1_000_000 : 1_000_000
let policy = RateLimitPolicy(name: "bench", limit: 100, period: .seconds(60), burst: 10)
let baseline = residentMiB()
let limiter = RateLimiter(capacity: capacity, clock: SystemMonotonicClock())
let empty = residentMiB()

func admit(_ range: Range<Int>) -> Double {
    let start = NIODeadline.now()
    for index in range {
        _ = limiter.acquire(key: "route:demo.users.v1.UserService.GetUser|ip:10.\(index >> 16 & 255).\(index >> 8 & 255).\(index & 255)", policy: policy)
    }
    return Double((NIODeadline.now() - start).nanoseconds) / Double(range.count)
}

let firstCost = admit(0..<keys)
let filled = residentMiB()
let rememberedAfterFirst = limiter.keyCount
let secondCost = admit(keys..<(2 * keys))
let flooded = residentMiB()
print("capacity \(capacity), keys remembered after \(keys) keys: \(rememberedAfterFirst), after \(2 * keys): \(limiter.keyCount)")
print(String(format: "RSS: process %.1f MiB, empty limiter %.1f MiB, after %d keys %.1f MiB (%.0f B/key), after %d more %.1f MiB",
             baseline, empty, keys, filled, (filled - empty) * 1_048_576 / Double(min(keys, capacity)), keys, flooded))
print(String(format: "cost: %.0f ns per decision while filling, %.0f ns per decision once full (new keys evicting old)", firstCost, secondCost))
