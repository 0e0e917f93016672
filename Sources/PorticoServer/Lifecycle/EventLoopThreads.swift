import Foundation
import NIOCore

/// How many event-loop threads the gateway runs: one per CPU it may run on.
///
/// NIO's `System.coreCount` honours cgroup quotas and cpusets (containers) but not the process's CPU
/// affinity, so a gateway started under `taskset -c 0` ran two event loops on one core, switching between
/// them; like Go's runtime, Portico takes the smaller of the two. The affinity is read from
/// `/proc/self/status` (`Cpus_allowed_list: 0-3,8`).
package enum EventLoopThreads {
    package static var count: Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }),
              let cpus = cpuCount(list: line.dropFirst("Cpus_allowed_list:".count))
        else { return System.coreCount }
        return max(1, min(System.coreCount, cpus))
    }

    /// The CPUs of a list such as `0-3,8`; `nil` when it does not read as one.
    package static func cpuCount(list: Substring) -> Int? {
        var count = 0
        for range in list.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = range.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            switch bounds.count {
            case 1:
                guard bounds[0] != nil else { return nil }
                count += 1
            case 2:
                guard let low = bounds[0], let high = bounds[1], high >= low else { return nil }
                count += high - low + 1
            default:
                return nil
            }
        }
        return count > 0 ? count : nil
    }
}
