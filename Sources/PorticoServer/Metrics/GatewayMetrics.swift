import CoreMetrics
import NIOCore
import PorticoHTTP2
import PorticoPolicies
import Prometheus
import Synchronization

/// The gateway's metrics, in one Prometheus registry per gateway, written through `swift-metrics` handles
/// that are made once (per route, per backend) and reused by every request.
///
/// The admin listener serves them at `/metrics` (``MetricsExposition``). Backend pool figures and breaker
/// states are read when scraped (``collect(backends:)``); everything else is counted as it happens.
package final class GatewayMetrics: Sendable {
    /// Where every series lives; the admin listener renders it.
    package let registry: PrometheusCollectorRegistry
    /// The `swift-metrics` backend over ``registry``, for `MetricsSystem.bootstrap` in the command.
    package let factory: any MetricsFactory
    private let described: DescribedPrometheusFactory
    let inFlight: CoreMetrics.Meter
    /// Requests shed because too many were in flight.
    let shed: CoreMetrics.Counter
    /// Requests refused by `rate_limits.per_client`.
    let clientLimited: CoreMetrics.Counter
    private let connectionsRejected: [ConnectionCapHandler.Cap: CoreMetrics.Counter]
    private let timedOut: [RequestTimeoutHandler.Phase: CoreMetrics.Counter]
    private let http2Abuse: [HTTP2Abuse: CoreMetrics.Counter]
    let requestTranscoding: CoreMetrics.Timer
    let responseTranscoding: CoreMetrics.Timer
    /// The time of each rate-limit decision asked of Redis.
    let redisDecisionLatency: CoreMetrics.Timer
    private let authFailures: [AuthFailure.Reason: CoreMetrics.Counter]
    private let reloadSuccesses: CoreMetrics.Counter
    private let reloadFailures: CoreMetrics.Counter
    private let lastReloadSuccess: CoreMetrics.Gauge
    private let unmatched = Mutex<[String: RouteMetrics]>([:])
    private let backends = Mutex<[String: BackendMetrics]>([:])
    private let pools = Mutex<[String: PoolSeries]>([:])
    private let logLinesDropped: CoreMetrics.Counter
    private let cacheEntries: CoreMetrics.Gauge
    private let cacheBytes: CoreMetrics.Gauge
    private let lastDroppedLines = Mutex(0)

    /// - Parameters:
    ///   - version: the gateway's version, the label of `portico_build_info`.
    ///   - startTime: Unix time of the configuration the gateway starts with.
    package init(version: String, startTime: Double) {
        registry = PrometheusCollectorRegistry()
        described = DescribedPrometheusFactory(registry: registry)
        factory = described
        inFlight = CoreMetrics.Meter(label: MetricCatalog.requestsInFlight, factory: described)
        shed = CoreMetrics.Counter(label: MetricCatalog.requestsShed, factory: described)
        clientLimited = CoreMetrics.Counter(label: MetricCatalog.requestsClientLimited, factory: described)
        var rejected: [ConnectionCapHandler.Cap: CoreMetrics.Counter] = [:]
        for cap in ConnectionCapHandler.Cap.allCases {
            rejected[cap] = CoreMetrics.Counter(label: MetricCatalog.connectionsRejected, dimensions: [("reason", cap.rawValue)], factory: described)
        }
        connectionsRejected = rejected
        var phases: [RequestTimeoutHandler.Phase: CoreMetrics.Counter] = [:]
        for phase in [RequestTimeoutHandler.Phase.head, .body] {
            phases[phase] = CoreMetrics.Counter(label: MetricCatalog.requestsTimedOut, dimensions: [("phase", "\(phase)")], factory: described)
        }
        timedOut = phases
        var abuses: [HTTP2Abuse: CoreMetrics.Counter] = [:]
        for abuse in HTTP2Abuse.allCases {
            abuses[abuse] = CoreMetrics.Counter(label: MetricCatalog.http2Abuse, dimensions: [("kind", abuse.rawValue)], factory: described)
        }
        http2Abuse = abuses
        requestTranscoding = CoreMetrics.Timer(label: MetricCatalog.transcodingDuration, dimensions: [("direction", "request")], factory: described)
        responseTranscoding = CoreMetrics.Timer(label: MetricCatalog.transcodingDuration, dimensions: [("direction", "response")], factory: described)
        redisDecisionLatency = CoreMetrics.Timer(label: MetricCatalog.redisDecisionDuration, factory: described)
        var failures: [AuthFailure.Reason: CoreMetrics.Counter] = [:]
        for reason in AuthFailure.Reason.allCases {
            failures[reason] = CoreMetrics.Counter(label: MetricCatalog.authFailures, dimensions: [("reason", reason.rawValue)], factory: described)
        }
        authFailures = failures
        reloadSuccesses = CoreMetrics.Counter(label: MetricCatalog.reloads, dimensions: [("result", "success")], factory: described)
        reloadFailures = CoreMetrics.Counter(label: MetricCatalog.reloads, dimensions: [("result", "failure")], factory: described)
        lastReloadSuccess = CoreMetrics.Gauge(label: MetricCatalog.lastReloadSuccess, factory: described)
        lastReloadSuccess.record(startTime)
        logLinesDropped = CoreMetrics.Counter(label: MetricCatalog.logLinesDropped, factory: described)
        cacheEntries = CoreMetrics.Gauge(label: MetricCatalog.cacheEntries, factory: described)
        cacheBytes = CoreMetrics.Gauge(label: MetricCatalog.cacheBytes, factory: described)
        CoreMetrics.Gauge(label: MetricCatalog.buildInfo, dimensions: [("version", version)], factory: described).record(1)
    }

    /// The counters of Redis rate-limit decisions, by outcome.
    func redisDecisionCounters() -> [SharedRateLimiter.Outcome: CoreMetrics.Counter] {
        SharedRateLimiter.Outcome.allCases.reduce(into: [:]) { counters, outcome in
            counters[outcome] = CoreMetrics.Counter(label: MetricCatalog.redisDecisions, dimensions: [("outcome", outcome.rawValue)], factory: described)
        }
    }

    /// Counts a connection closed at accept by `cap`.
    func recordRejectedConnection(_ cap: ConnectionCapHandler.Cap) {
        connectionsRejected[cap]?.increment()
    }

    /// Counts an HTTP/2 connection ended for `abuse`.
    func recordHTTP2Abuse(_ abuse: HTTP2Abuse) {
        http2Abuse[abuse]?.increment()
    }

    /// Counts a request answered 408 in `phase`.
    func recordTimeout(_ phase: RequestTimeoutHandler.Phase) {
        timedOut[phase]?.increment()
    }

    /// Every series in the Prometheus text format, as `/metrics` serves it (without the scrape-time backend
    /// figures).
    package func exposition() -> String {
        registry.emitToString()
    }

    /// The metrics of each route of `routes`, by route index.
    func routeMetrics(for routes: [(method: String, template: String, isRateLimited: Bool, isCached: Bool)]) -> [RouteMetrics] {
        routes.map {
            RouteMetrics(route: $0.template, method: $0.method, isRateLimited: $0.isRateLimited, isCached: $0.isCached, factory: described)
        }
    }

    /// The metrics of requests no route matched, by method (`OTHER` for a method outside RFC 9110's and PATCH).
    func unmatchedMetrics(method: String) -> RouteMetrics {
        let label = Self.standardMethods.contains(method) ? method : "OTHER"
        return unmatched.withLock { known in
            if let metrics = known[label] { return metrics }
            let metrics = RouteMetrics(route: "unmatched", method: label, isRateLimited: false, isCached: false, factory: described)
            known[label] = metrics
            return metrics
        }
    }

    private static let standardMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]

    /// The metrics of the backend called `name`, the same across reloads.
    func backendMetrics(named name: String) -> BackendMetrics {
        backends.withLock { known in
            if let metrics = known[name] { return metrics }
            let metrics = BackendMetrics(backend: name, factory: described)
            known[name] = metrics
            return metrics
        }
    }

    /// Counts a request refused by authentication or authorization.
    func recordAuthFailure(_ reason: AuthFailure.Reason) {
        authFailures[reason]?.increment()
    }

    /// Counts a reload; a successful one also sets the time of the last good configuration.
    package func recordReload(succeeded: Bool, at unixTime: Double) {
        if succeeded {
            reloadSuccesses.increment()
            lastReloadSuccess.record(unixTime)
        } else {
            reloadFailures.increment()
        }
    }

    /// Sets the response cache's size.
    func collect(cacheEntries entries: Int, bytes: Int) {
        cacheEntries.record(entries)
        cacheBytes.record(bytes)
    }

    /// Advances the dropped-lines counter to the log writer's count.
    func collect(droppedLogLines: Int) {
        let advance = lastDroppedLines.withLock { last in
            defer { last = droppedLogLines }
            return droppedLogLines >= last ? droppedLogLines - last : droppedLogLines
        }
        if advance > 0 { logLinesDropped.increment(by: Int64(advance)) }
    }

    /// Sets the scrape-time series of each backend: its pool's figures and its breaker's state (`closed`,
    /// `open`, `half_open`, or `off` without a breaker).
    func collect(backends: [(name: String, statistics: GRPCClientStatistics, breakerState: String)]) {
        pools.withLock { pools in
            for backend in backends {
                let series = pools[backend.name] ?? PoolSeries(backend: backend.name, factory: described)
                pools[backend.name] = series
                series.update(backend.statistics, breakerState: backend.breakerState)
            }
        }
    }
}

/// One backend's scrape-time series. Pool counters (connect attempts, GOAWAYs) are cumulative in the pool;
/// the Prometheus counters advance by what the pool counted since the last scrape (all of it when the pool
/// was replaced and started again from zero).
private final class PoolSeries {
    private let connections: CoreMetrics.Gauge
    private let activeStreams: CoreMetrics.Gauge
    private let queuedCalls: CoreMetrics.Gauge
    private let connectAttempts: CoreMetrics.Counter
    private let goAways: CoreMetrics.Counter
    private let breakerStates: [(state: String, gauge: CoreMetrics.Gauge)]
    private var last = GRPCClientStatistics.zero

    init(backend: String, factory: DescribedPrometheusFactory) {
        let labels = [("backend", backend)]
        connections = CoreMetrics.Gauge(label: MetricCatalog.backendConnections, dimensions: labels, factory: factory)
        activeStreams = CoreMetrics.Gauge(label: MetricCatalog.backendActiveStreams, dimensions: labels, factory: factory)
        queuedCalls = CoreMetrics.Gauge(label: MetricCatalog.backendQueuedCalls, dimensions: labels, factory: factory)
        connectAttempts = CoreMetrics.Counter(label: MetricCatalog.backendConnectAttempts, dimensions: labels, factory: factory)
        goAways = CoreMetrics.Counter(label: MetricCatalog.backendGoAways, dimensions: labels, factory: factory)
        breakerStates = ["closed", "open", "half_open"].map { state in
            (state, CoreMetrics.Gauge(label: MetricCatalog.breakerState, dimensions: labels + [("state", state)], factory: factory))
        }
    }

    func update(_ statistics: GRPCClientStatistics, breakerState: String) {
        connections.record(statistics.connections)
        activeStreams.record(statistics.activeStreams)
        queuedCalls.record(statistics.queuedCalls)
        connectAttempts.increment(by: Int64(Self.advance(from: last.connectAttempts, to: statistics.connectAttempts)))
        goAways.increment(by: Int64(Self.advance(from: last.goAways, to: statistics.goAways)))
        last = statistics
        for (state, gauge) in breakerStates { gauge.record(state == breakerState ? 1 : 0) }
    }

    private static func advance(from previous: Int, to current: Int) -> Int {
        current >= previous ? current - previous : current
    }
}
