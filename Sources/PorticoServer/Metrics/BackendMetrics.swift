import CoreMetrics
import PorticoPolicies

/// One backend's call metrics: the latency of each attempt, retries, retry-budget refusals and breaker
/// transitions. Kept by backend name across reloads.
final class BackendMetrics: Sendable {
    let callDuration: CoreMetrics.Timer
    let retries: CoreMetrics.Counter
    let retryBudgetRefusals: CoreMetrics.Counter
    private let opened: CoreMetrics.Counter
    private let halfOpened: CoreMetrics.Counter
    private let closed: CoreMetrics.Counter

    init(backend: String, factory: DescribedPrometheusFactory) {
        let labels = [("backend", backend)]
        callDuration = CoreMetrics.Timer(label: MetricCatalog.backendCallDuration, dimensions: labels, factory: factory)
        retries = CoreMetrics.Counter(label: MetricCatalog.backendRetries, dimensions: labels, factory: factory)
        retryBudgetRefusals = CoreMetrics.Counter(label: MetricCatalog.backendRetryBudgetRefusals, dimensions: labels, factory: factory)
        func transitions(to state: String) -> CoreMetrics.Counter {
            CoreMetrics.Counter(label: MetricCatalog.breakerTransitions, dimensions: labels + [("to", state)], factory: factory)
        }
        opened = transitions(to: "open")
        halfOpened = transitions(to: "half_open")
        closed = transitions(to: "closed")
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
