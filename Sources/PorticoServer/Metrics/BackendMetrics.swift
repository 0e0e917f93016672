import CoreMetrics
import PorticoPolicies

/// One backend's call metrics: the latency of each attempt, retries, retry-budget refusals, breaker
/// transitions, the requests the breaker shed, endpoint ejections and health transitions. Kept by backend
/// name across reloads.
final class BackendMetrics: Sendable {
    let callDuration: CoreMetrics.Timer
    let retries: CoreMetrics.Counter
    let retryBudgetRefusals: CoreMetrics.Counter
    /// Endpoints ejected by outlier detection.
    let ejections: CoreMetrics.Counter
    private let becameHealthy: CoreMetrics.Counter
    private let becameUnhealthy: CoreMetrics.Counter
    private let opened: CoreMetrics.Counter
    private let halfOpened: CoreMetrics.Counter
    private let closed: CoreMetrics.Counter
    private let shedOpen: CoreMetrics.Counter
    private let shedHalfOpenBusy: CoreMetrics.Counter
    private let shedTooManyRequests: CoreMetrics.Counter

    init(backend: String, factory: DescribedPrometheusFactory) {
        let labels = [("backend", backend)]
        callDuration = CoreMetrics.Timer(label: MetricCatalog.backendCallDuration, dimensions: labels, factory: factory)
        retries = CoreMetrics.Counter(label: MetricCatalog.backendRetries, dimensions: labels, factory: factory)
        retryBudgetRefusals = CoreMetrics.Counter(label: MetricCatalog.backendRetryBudgetRefusals, dimensions: labels, factory: factory)
        ejections = CoreMetrics.Counter(label: MetricCatalog.endpointEjections, dimensions: labels, factory: factory)
        becameHealthy = CoreMetrics.Counter(label: MetricCatalog.endpointHealthTransitions, dimensions: labels + [("to", "healthy")], factory: factory)
        becameUnhealthy = CoreMetrics.Counter(label: MetricCatalog.endpointHealthTransitions, dimensions: labels + [("to", "unhealthy")], factory: factory)
        func transitions(to state: String) -> CoreMetrics.Counter {
            CoreMetrics.Counter(label: MetricCatalog.breakerTransitions, dimensions: labels + [("to", state)], factory: factory)
        }
        opened = transitions(to: "open")
        halfOpened = transitions(to: "half_open")
        closed = transitions(to: "closed")
        func shed(_ reason: String) -> CoreMetrics.Counter {
            CoreMetrics.Counter(label: MetricCatalog.backendShed, dimensions: labels + [("reason", reason)], factory: factory)
        }
        shedOpen = shed("open")
        shedHalfOpenBusy = shed("half_open_busy")
        shedTooManyRequests = shed("too_many_requests")
    }

    /// Counts a request the breaker refused.
    func record(_ rejection: CircuitBreaker.StateMachine.Rejection) {
        switch rejection {
        case .open: shedOpen.increment()
        case .halfOpenProbesBusy: shedHalfOpenBusy.increment()
        case .tooManyConcurrentRequests: shedTooManyRequests.increment()
        }
    }

    /// Counts an endpoint whose health checks took it out of rotation or brought it back.
    func recordHealthTransition(healthy: Bool) {
        (healthy ? becameHealthy : becameUnhealthy).increment()
    }

    /// Counts a breaker transition, if there was one.
    func record(_ transition: CircuitBreaker.StateMachine.Transition?) {
        switch transition {
        case .opened?: opened.increment()
        case .halfOpened?: halfOpened.increment()
        case .closed?: closed.increment()
        case nil: break
        }
    }
}
