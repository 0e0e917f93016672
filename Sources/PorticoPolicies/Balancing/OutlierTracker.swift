public import NIOCore
public import PorticoConfig

/// Passive outlier ejection for the endpoints of one backend: an endpoint whose calls fail
/// ``OutlierDetectionSettings/consecutiveFailures`` times in a row is ejected for the base time multiplied by
/// how often it was ejected before (capped), unless that would eject more than the allowed share.
///
/// Pure state driven by the caller's clock readings; the caller holds it under a lock.
public struct OutlierTracker: Sendable {
    /// One endpoint's record.
    public struct Record: Sendable, Hashable {
        public var consecutiveFailures = 0
        /// How many times it has been ejected; each ejection lasts longer.
        public var ejections = 0
        /// When its current ejection ends; `nil` while it is in rotation.
        public var ejectedUntil: NIODeadline?

        public init() {}
    }

    public let settings: OutlierDetectionSettings
    public private(set) var records: [Record]

    public init(settings: OutlierDetectionSettings, endpointCount: Int) {
        self.settings = settings
        records = Array(repeating: Record(), count: endpointCount)
    }

    /// Whether `endpoint` is ejected at `now`; an ejection that ended returns it to rotation.
    public mutating func isEjected(_ endpoint: Int, now: NIODeadline) -> Bool {
        guard let until = records[endpoint].ejectedUntil else { return false }
        if until <= now {
            records[endpoint].ejectedUntil = nil
            records[endpoint].consecutiveFailures = 0
            return false
        }
        return true
    }

    /// Counts a call's outcome; returns `true` when this failure ejected the endpoint.
    public mutating func record(success: Bool, endpoint: Int, now: NIODeadline) -> Bool {
        guard records.indices.contains(endpoint) else { return false }
        if success {
            records[endpoint].consecutiveFailures = 0
            return false
        }
        records[endpoint].consecutiveFailures += 1
        guard records[endpoint].ejectedUntil == nil, records[endpoint].consecutiveFailures >= settings.consecutiveFailures else { return false }
        var ejected = 0
        for index in records.indices where isEjected(index, now: now) {
            ejected += 1
        }
        let allowed = max(1, Int((Double(records.count) * settings.maxEjectedShare).rounded(.down)))
        guard ejected < allowed else { return false }
        records[endpoint].ejections += 1
        let base = settings.baseEjectionTime.components
        let baseNanoseconds = base.seconds * 1_000_000_000 + base.attoseconds / 1_000_000_000
        let maximum = settings.maxEjectionTime.components
        let maximumNanoseconds = maximum.seconds * 1_000_000_000 + maximum.attoseconds / 1_000_000_000
        let length = min(baseNanoseconds * Int64(records[endpoint].ejections), maximumNanoseconds)
        records[endpoint].ejectedUntil = now + .nanoseconds(length)
        records[endpoint].consecutiveFailures = 0
        return true
    }

    /// Keeps the records of endpoints that stay when the set changes: `kept[i]` is the old index of new
    /// endpoint `i`, or `nil` for a new one.
    public mutating func remap(_ kept: [Int?]) {
        let old = records
        records = kept.map { index in index.map { old[$0] } ?? Record() }
    }
}
