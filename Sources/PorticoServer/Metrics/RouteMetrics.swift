import CoreMetrics
import PorticoCore
import Synchronization

/// One route's metrics (or the unmatched requests of one method): its latency histogram, body byte counters
/// and, on a rate-limited route, its rate-limit decisions, made when the snapshot is installed; and its
/// answer counters, made on first use of each status, gRPC code and version.
final class RouteMetrics: Sendable {
    /// The route template (`/v1/users/{id}`), or `unmatched`.
    let route: String
    let method: String
    let duration: CoreMetrics.Timer
    let requestBytes: CoreMetrics.Counter
    let responseBytes: CoreMetrics.Counter
    private let rateLimit: (allowed: CoreMetrics.Counter, limited: CoreMetrics.Counter)?
    private let cacheLookups: [CacheResult: CoreMetrics.Counter]

    /// What a response-cache lookup gave.
    enum CacheResult: String, CaseIterable {
        case hit, stale, miss
    }
    private let factory: DescribedPrometheusFactory
    private let answers = Mutex<[Answer: CoreMetrics.Counter]>([:])

    /// The labels of one answer counter besides the route and method.
    private struct Answer: Hashable {
        let status: Int
        let code: GRPCStatusCode
        let version: String
    }

    init(route: String, method: String, isRateLimited: Bool, isCached: Bool, factory: DescribedPrometheusFactory) {
        self.route = route
        self.method = method
        self.factory = factory
        let labels = [("route", route), ("method", method)]
        duration = CoreMetrics.Timer(label: MetricCatalog.requestDuration, dimensions: labels, factory: factory)
        requestBytes = CoreMetrics.Counter(label: MetricCatalog.requestBodyBytes, dimensions: labels, factory: factory)
        responseBytes = CoreMetrics.Counter(label: MetricCatalog.responseBodyBytes, dimensions: labels, factory: factory)
        func decisions(_ decision: String) -> CoreMetrics.Counter {
            CoreMetrics.Counter(label: MetricCatalog.rateLimitDecisions, dimensions: labels + [("decision", decision)], factory: factory)
        }
        rateLimit = isRateLimited ? (decisions("allowed"), decisions("limited")) : nil
        var lookups: [CacheResult: CoreMetrics.Counter] = [:]
        if isCached {
            for result in CacheResult.allCases {
                lookups[result] = CoreMetrics.Counter(label: MetricCatalog.cacheLookups, dimensions: labels + [("result", result.rawValue)], factory: factory)
            }
        }
        cacheLookups = lookups
    }

    /// Counts one answer and its sizes and latency.
    func recordAnswer(status: Int, code: GRPCStatusCode, version: String, requestBytes: Int, responseBytes: Int, nanoseconds: Int64) {
        counter(for: Answer(status: status, code: code, version: version)).increment()
        self.requestBytes.increment(by: Int64(requestBytes))
        self.responseBytes.increment(by: Int64(responseBytes))
        duration.recordNanoseconds(nanoseconds)
    }

    /// Counts one rate-limit decision.
    func recordRateLimit(allowed isAllowed: Bool) {
        guard let rateLimit else { return }
        (isAllowed ? rateLimit.allowed : rateLimit.limited).increment()
    }

    /// Counts one response-cache lookup.
    func recordCache(_ result: CacheResult) {
        cacheLookups[result]?.increment()
    }

    private func counter(for answer: Answer) -> CoreMetrics.Counter {
        if let counter = answers.withLock({ $0[answer] }) { return counter }
        let counter = CoreMetrics.Counter(
            label: MetricCatalog.requests,
            dimensions: [
                ("route", route), ("method", method), ("status", String(answer.status)), ("grpc_code", answer.code.name),
                ("api_version", answer.version),
            ],
            factory: factory
        )
        answers.withLock { $0[answer] = counter }
        return counter
    }
}
