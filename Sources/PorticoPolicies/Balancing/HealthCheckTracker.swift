public import PorticoConfig

/// One endpoint's active health as its probes report it: out of rotation after
/// ``HealthCheckSettings/unhealthyThreshold`` failures in a row, back after
/// ``HealthCheckSettings/healthyThreshold`` passes in a row.
///
/// A new endpoint is healthy until its probes say otherwise, so a backend starts taking calls at once.
public struct HealthCheckTracker: Sendable, Hashable {
    public private(set) var isHealthy = true
    private var passes = 0
    private var failures = 0
    /// Whether any probe has answered yet.
    public private(set) var hasBeenChecked = false

    public init() {}

    /// Counts one probe; returns `true` when it changed ``isHealthy``.
    public mutating func record(passed: Bool, settings: HealthCheckSettings) -> Bool {
        hasBeenChecked = true
        if passed {
            failures = 0
            passes += 1
            if !isHealthy, passes >= settings.healthyThreshold {
                isHealthy = true
                return true
            }
        } else {
            passes = 0
            failures += 1
            if isHealthy, failures >= settings.unhealthyThreshold {
                isHealthy = false
                return true
            }
        }
        return false
    }
}
