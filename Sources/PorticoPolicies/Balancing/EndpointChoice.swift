/// Chooses a call's endpoint among the usable ones: power of two choices on calls in flight, round robin, or
/// a consistent hash.
public enum EndpointChoice {
    /// Two distinct usable endpoints drawn at random; the one with fewer calls in flight wins (the first drawn
    /// on a tie). Mitzenmacher's "power of two choices": nearly the balance of least-loaded, without a scan or a
    /// herd all choosing the same idle endpoint.
    public static func powerOfTwo<Generator: RandomNumberGenerator>(
        among usable: [Int], inFlight: (Int) -> Int, using generator: inout Generator
    ) -> Int? {
        switch usable.count {
        case 0: return nil
        case 1: return usable[0]
        default:
            let first = Int.random(in: 0..<usable.count, using: &generator)
            var second = Int.random(in: 0..<(usable.count - 1), using: &generator)
            if second >= first { second += 1 }
            let a = usable[first]
            let b = usable[second]
            return inFlight(b) < inFlight(a) ? b : a
        }
    }

    /// The usable endpoint at `counter`'s turn.
    public static func roundRobin(among usable: [Int], counter: Int) -> Int? {
        usable.isEmpty ? nil : usable[counter % usable.count]
    }
}
