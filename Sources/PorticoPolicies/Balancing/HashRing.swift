/// A consistent-hash ring (Karger et al., as Envoy's `RING_HASH`): each endpoint owns many points on a 64-bit
/// circle, and a key belongs to the endpoint of the first point at or after the key's hash.
///
/// While the set is stable a key always lands on the same endpoint; when an endpoint leaves, only the keys it
/// owned move, and they spread over the others. An endpoint that is ejected or unhealthy is skipped by walking
/// on round the ring, which moves only its keys as well.
public struct HashRing: Sendable {
    /// Points per endpoint: enough that each endpoint's share of the circle is within a few percent of even.
    public static let pointsPerEndpoint = 160

    private let points: [(hash: UInt64, endpoint: Int)]
    /// The number of endpoints the ring was built for.
    public let endpointCount: Int

    /// A ring over endpoints named by `identities` (their addresses): the same identities give the same ring
    /// in every process.
    public init(identities: [String]) {
        var points: [(hash: UInt64, endpoint: Int)] = []
        points.reserveCapacity(identities.count * Self.pointsPerEndpoint)
        for (endpoint, identity) in identities.enumerated() {
            for replica in 0..<Self.pointsPerEndpoint {
                points.append((StableHash.of("\(identity)#\(replica)"), endpoint))
            }
        }
        points.sort { $0.hash < $1.hash || ($0.hash == $1.hash && $0.endpoint < $1.endpoint) }
        self.points = points
        endpointCount = identities.count
    }

    /// The endpoint that owns `hash` among those `isUsable` accepts; `nil` when none is usable.
    public func endpoint(for hash: UInt64, isUsable: (Int) -> Bool) -> Int? {
        guard !points.isEmpty else { return nil }
        var low = 0
        var high = points.count
        while low < high {
            let middle = (low + high) / 2
            if points[middle].hash < hash { low = middle + 1 } else { high = middle }
        }
        var tried = Set<Int>()
        for offset in 0..<points.count {
            let endpoint = points[(low + offset) % points.count].endpoint
            if isUsable(endpoint) { return endpoint }
            tried.insert(endpoint)
            if tried.count == endpointCount { return nil }
        }
        return nil
    }
}
