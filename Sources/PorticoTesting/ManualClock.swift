import NIOCore
import PorticoCore
import Synchronization

/// A clock that moves only when a test says so.
package final class ManualClock: MonotonicClock {
    private let current: Mutex<NIODeadline>

    /// Starts at an arbitrary fixed instant well away from zero, so subtractions never underflow.
    package init(start: NIODeadline = .uptimeNanoseconds(1_000_000_000_000)) {
        current = Mutex(start)
    }

    package func now() -> NIODeadline {
        current.withLock { $0 }
    }

    /// Moves the clock forward.
    package func advance(by amount: TimeAmount) {
        current.withLock { $0 = $0 + amount }
    }
}
