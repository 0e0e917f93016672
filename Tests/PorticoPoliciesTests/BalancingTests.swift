import NIOCore
import PorticoConfig
import PorticoPolicies
import Testing

@Suite struct BalancingTests {
    private let identities = (1...4).map { "10.0.0.\($0):50051" }

    @Test func theRingGivesEachEndpointAFairShareAndTheSameAnswerEveryTime() {
        let ring = HashRing(identities: identities)
        var owners: [Int] = []
        var counts = [0, 0, 0, 0]
        for key in 0..<20_000 {
            let owner = ring.endpoint(for: StableHash.of("user-\(key)"), isUsable: { _ in true })!
            owners.append(owner)
            counts[owner] += 1
        }
        #expect(counts.allSatisfy { (4_000...6_000).contains($0) }, "each of 4 endpoints owns 25% ± 5% of 20,000 keys: \(counts)")
        let again = HashRing(identities: identities)
        #expect((0..<20_000).allSatisfy { again.endpoint(for: StableHash.of("user-\($0)"), isUsable: { _ in true }) == owners[$0] })
    }

    @Test func anEndpointLeavingMovesOnlyItsOwnKeys() {
        let ring = HashRing(identities: identities)
        let smaller = HashRing(identities: Array(identities.dropLast()))
        var moved = 0
        for key in 0..<10_000 {
            let hash = StableHash.of("user-\(key)")
            let before = ring.endpoint(for: hash, isUsable: { _ in true })!
            let skipping = ring.endpoint(for: hash, isUsable: { $0 != 3 })!
            let rebuilt = smaller.endpoint(for: hash, isUsable: { _ in true })!
            if before == 3 {
                moved += 1
                #expect(skipping != 3 && rebuilt != 3)
            } else {
                #expect(skipping == before && rebuilt == before, "a key of a staying endpoint does not move")
            }
        }
        #expect((2_000...3_000).contains(moved), "about a quarter of the keys moved: \(moved)")
        #expect(ring.endpoint(for: 42, isUsable: { _ in false }) == nil)
    }

    @Test func theStableHashIsTheSameInEveryProcess() {
        #expect(StableHash.of("10.0.0.1:50051#0") == 0xd151_b42e_dc24_3ae9, "the hash of a ring point never changes between builds")
        #expect(StableHash.of("user-1") == StableHash.of("user-1"))
        #expect(StableHash.of("user-1") != StableHash.of("user-2"))
    }

    @Test func powerOfTwoChoicesTakesTheLessLoadedOfTwoAndSpreadsIdleCalls() {
        var generator = SystemRandomNumberGenerator()
        let load = [0: 10, 1: 0, 2: 10]
        var counts = [0: 0, 1: 0, 2: 0]
        for _ in 0..<3_000 {
            counts[EndpointChoice.powerOfTwo(among: [0, 1, 2], inFlight: { load[$0]! }, using: &generator)!, default: 0] += 1
        }
        #expect(counts[1]! > 1_800, "the idle endpoint wins whenever it is drawn (2 of 3 draws): \(counts)")
        var idle = [0: 0, 1: 0, 2: 0]
        for _ in 0..<3_000 {
            idle[EndpointChoice.powerOfTwo(among: [0, 1, 2], inFlight: { _ in 0 }, using: &generator)!, default: 0] += 1
        }
        #expect(idle.values.allSatisfy { (800...1_200).contains($0) }, "with equal load the choice is uniform: \(idle)")
        #expect(EndpointChoice.powerOfTwo(among: [], inFlight: { _ in 0 }, using: &generator) == nil)
        #expect(EndpointChoice.powerOfTwo(among: [7], inFlight: { _ in 0 }, using: &generator) == 7)
        #expect((0..<6).map { EndpointChoice.roundRobin(among: [4, 5, 6], counter: $0)! } == [4, 5, 6, 4, 5, 6])
    }

    @Test func consecutiveFailuresEjectForLongerEachTimeWithinTheAllowedShare() {
        let settings = OutlierDetectionSettings(
            consecutiveFailures: 3, baseEjectionTime: .seconds(10), maxEjectionTime: .seconds(25), maxEjectedShare: 0.5
        )
        var tracker = OutlierTracker(settings: settings, endpointCount: 4)
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        var ejections: [Bool] = []
        for success in [false, false, true, false, false, false] {
            ejections.append(tracker.record(success: success, endpoint: 0, now: start))
        }
        #expect(ejections == [false, false, false, false, false, true], "a success resets the count; the third failure in a row ejects")
        let firstEjection = (tracker.isEjected(0, now: start + .seconds(9)), tracker.isEjected(0, now: start + .seconds(10)))
        #expect(firstEjection == (true, false), "the first ejection lasts the base time")
        let later = start + .seconds(10)
        for _ in 0..<3 { _ = tracker.record(success: false, endpoint: 0, now: later) }
        let secondEjection = (tracker.isEjected(0, now: later + .seconds(19)), tracker.isEjected(0, now: later + .seconds(20)))
        #expect(secondEjection == (true, false), "the second lasts twice as long")
        let third = later + .seconds(20)
        for _ in 0..<3 { _ = tracker.record(success: false, endpoint: 0, now: third) }
        let thirdEjection = (tracker.isEjected(0, now: third + .seconds(24)), tracker.isEjected(0, now: third + .seconds(25)))
        #expect(thirdEjection == (true, false), "capped at the maximum ejection time")
        let fourth = third + .seconds(25)
        for endpoint in 1...3 {
            for _ in 0..<3 { _ = tracker.record(success: false, endpoint: endpoint, now: fourth) }
        }
        var ejected: [Int] = []
        for endpoint in 0..<4 where tracker.isEjected(endpoint, now: fourth) { ejected.append(endpoint) }
        #expect(ejected == [1, 2], "at most half of 4 endpoints are ejected at once: \(ejected)")
        #expect(tracker.records[3].ejections == 0)
    }

    @Test func healthChecksNeedTheirThresholdsInARow() {
        let settings = HealthCheckSettings(healthyThreshold: 2, unhealthyThreshold: 3)
        var tracker = HealthCheckTracker()
        #expect(tracker.isHealthy && !tracker.hasBeenChecked, "an endpoint takes calls before its first probe")
        var changes: [Bool] = []
        var healthy: [Bool] = []
        for passed in [false, false, true, false, false, false, true, true] {
            changes.append(tracker.record(passed: passed, settings: settings))
            healthy.append(tracker.isHealthy)
        }
        #expect(changes == [false, false, false, false, false, true, false, true], "a pass resets the failures; thresholds count in a row")
        #expect(healthy == [true, true, true, true, true, false, false, true])
    }
}
