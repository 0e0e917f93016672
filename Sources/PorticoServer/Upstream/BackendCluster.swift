import CoreMetrics
import Logging
import PorticoCodec
import NIOCore
import PorticoConfig
import PorticoCore
import PorticoHTTP2
import PorticoPolicies
import PorticoSchema
import Synchronization

/// The replicas of one backend and how each call picks one: the endpoints (host names resolved again
/// periodically), the balancer, active health checks and passive outlier ejection.
///
/// Each endpoint has its own client, and so its own connection pool per event loop. A call goes to a usable
/// endpoint — healthy by its probes and not ejected — unless fewer than the panic threshold's share are usable,
/// when every endpoint is used rather than overloading the few. A retry goes to an endpoint the request has not
/// tried while one is usable. The breaker stays per backend (``BackendGuard``), above the cluster.
final class BackendCluster: Sendable {
    /// The balancer's view, changed under one lock.
    private struct State {
        var endpoints: [ClusterEndpoint]
        var health: [HealthCheckTracker]
        var outliers: OutlierTracker?
        var ring: HashRing?
        var turn = 0
        /// Resolved addresses by endpoint as written, for the host names among them.
        var resolved: [HostPort: [HostPort]] = [:]
        var probing: Set<HostPort> = []
        /// Endpoints out of the set whose clients close once their calls had time to end.
        var retired: [ClusterEndpoint] = []
        var tasks: [RepeatedTask] = []
        var isStopped = false
    }

    let name: String
    let settings: UpstreamSettings
    /// Whether calls choose among several endpoints (several listed, or a host name that may resolve to
    /// several); a single literal address skips the balancer, its lock and outlier counting on every call.
    let isBalanced: Bool
    private let connect: @Sendable (HostPort) -> any UpstreamClient
    private let state: Mutex<State>
    private let clock: any MonotonicClock
    private let group: any EventLoopGroup
    private let metrics: BackendMetrics
    private let logger: Logger
    /// How long a removed endpoint's client stays open for the calls it still has.
    private let drainTime: TimeAmount

    /// A cluster over the written endpoints; host names are used as they are until their first resolution.
    init(
        name: String,
        settings: UpstreamSettings,
        drainTime: TimeAmount,
        group: any EventLoopGroup,
        clock: any MonotonicClock,
        metrics: BackendMetrics,
        logger: Logger,
        connect: @escaping @Sendable (HostPort) -> any UpstreamClient
    ) {
        self.name = name
        self.settings = settings
        self.connect = connect
        self.clock = clock
        self.group = group
        self.metrics = metrics
        self.logger = logger
        self.drainTime = drainTime
        isBalanced = settings.endpoints.count > 1 || settings.endpoints.contains { !EndpointResolver.isIPLiteral($0.host) }
        let endpoints = settings.endpoints.map { ClusterEndpoint(address: $0, client: connect($0)) }
        state = Mutex(State(
            endpoints: endpoints,
            health: Array(repeating: HealthCheckTracker(), count: endpoints.count),
            outliers: settings.outlierDetection.map { OutlierTracker(settings: $0, endpointCount: endpoints.count) },
            ring: Self.ring(for: settings.balancer, endpoints: endpoints)
        ))
    }

    /// Starts the health probes and the re-resolution of host names, when configured.
    func start(healthCodec: HealthCheckCodec?) {
        var tasks: [RepeatedTask] = []
        let loop = group.next()
        if let check = settings.healthCheck, let healthCodec {
            let interval = TimeAmount(check.interval)
            tasks.append(loop.scheduleRepeatedTask(initialDelay: .zero, delay: interval) { [self] _ in
                probe(check, codec: healthCodec, on: loop)
            })
        }
        if settings.endpoints.contains(where: { !EndpointResolver.isIPLiteral($0.host) }) {
            let interval = TimeAmount(settings.resolveInterval)
            tasks.append(loop.scheduleRepeatedTask(initialDelay: .zero, delay: interval) { [self] _ in
                resolve(on: loop)
            })
        }
        state.withLock { $0.tasks = tasks }
    }

    /// Stops probing and resolving, and closes every endpoint's client once calls in flight had time to end.
    func stop() {
        let (tasks, endpoints) = state.withLock { state -> ([RepeatedTask], [ClusterEndpoint]) in
            state.isStopped = true
            defer { state.tasks = [] }
            return (state.tasks, state.endpoints)
        }
        tasks.forEach { $0.cancel() }
        retire(endpoints)
    }

    /// Whether the cluster was stopped and every client it retired is closed.
    var isDrained: Bool {
        state.withLock { $0.isStopped && $0.retired.isEmpty }
    }

    /// Stops probing and resolving and closes every client now, retired ones included (the gateway is
    /// shutting down).
    func close() async {
        let (tasks, endpoints) = state.withLock { state -> ([RepeatedTask], [ClusterEndpoint]) in
            state.isStopped = true
            defer {
                state.tasks = []
                state.retired = []
            }
            return (state.tasks, state.endpoints + state.retired.filter { retired in !state.endpoints.contains { $0 === retired } })
        }
        for task in tasks {
            let done = group.next().makePromise(of: Void.self)
            task.cancel(promise: done)
            try? await done.futureResult.get()
        }
        for endpoint in endpoints {
            try? await endpoint.client.close().get()
        }
    }

    // MARK: Calls

    /// Starts a call with one answer (unary, or client-streaming) on the endpoint the balancer picks.
    func unary(_ path: String, requests: [ByteBuffer], options: GRPCCallOptions, on eventLoop: any EventLoop, pick: UpstreamPick) -> GRPCCall<GRPCUnaryResponse> {
        let endpoint = choose(pick)
        endpoint.callStarted()
        let call = endpoint.client.unary(path, requests: requests, options: options, on: eventLoop)
        call.response.whenComplete { result in self.finished(endpoint, result.failure) }
        return call
    }

    /// Starts a call with a stream of answers (server-streaming, or bidirectional) on the endpoint the
    /// balancer picks.
    func serverStreaming(
        _ path: String,
        requests: [ByteBuffer],
        options: GRPCCallOptions,
        on eventLoop: any EventLoop,
        pick: UpstreamPick,
        onMessage: @escaping @Sendable (ByteBuffer) -> EventLoopFuture<Void>?
    ) -> GRPCCall<GRPCStreamSummary> {
        let endpoint = choose(pick)
        endpoint.callStarted()
        let call = endpoint.client.serverStreaming(path, requests: requests, options: options, on: eventLoop, onMessage: onMessage)
        call.response.whenComplete { result in self.finished(endpoint, result.failure) }
        return call
    }

    /// Starts a call whose request messages are sent as they come, on the endpoint the balancer picks.
    func streamingCall(
        _ path: String,
        options: GRPCCallOptions,
        on eventLoop: any EventLoop,
        pick: UpstreamPick,
        onMessage: @escaping @Sendable (ByteBuffer) -> EventLoopFuture<Void>?
    ) -> (call: GRPCCall<GRPCStreamSummary>, requests: GRPCRequestWriter) {
        let endpoint = choose(pick)
        endpoint.callStarted()
        let started = endpoint.client.streamingCall(path, options: options, on: eventLoop, onMessage: onMessage)
        started.call.response.whenComplete { result in self.finished(endpoint, result.failure) }
        return started
    }

    /// The pool figures of every endpoint, summed.
    func statistics() -> EventLoopFuture<GRPCClientStatistics> {
        let endpoints = state.withLock { $0.endpoints }
        let loop = group.any()
        return EventLoopFuture.reduce(.zero, endpoints.map { $0.client.statistics() }, on: loop, +)
    }

    /// Every endpoint with its health, ejection and calls in flight, and whether the cluster is in panic
    /// (too few usable endpoints, so all are used), for `/admin/backends`.
    func endpointStates() -> (panic: Bool, endpoints: [EndpointState]) {
        let now = clock.now()
        return state.withLock { state in
            let usable = usableIndices(&state, now: now)
            let endpoints = state.endpoints.indices.map { index in
                let record = state.outliers?.records[index]
                return EndpointState(
                    address: state.endpoints[index].address,
                    health: settings.healthCheck == nil ? "unchecked" : (state.health[index].isHealthy ? "healthy" : "unhealthy"),
                    ejectedFor: record?.ejectedUntil.map { max(.zero, $0 - now) },
                    ejections: record?.ejections ?? 0,
                    inFlight: state.endpoints[index].inFlight,
                    calls: state.endpoints[index].callCount,
                    isUsable: usable.indices.contains(index)
                )
            }
            return (usable.panic && state.endpoints.count > 1, endpoints)
        }
    }

    /// One endpoint as `/admin/backends` shows it.
    struct EndpointState {
        var address: HostPort
        var health: String
        var ejectedFor: TimeAmount?
        var ejections: Int
        var inFlight: Int
        /// Calls sent to it since it joined the backend.
        var calls: Int
        /// Whether the balancer currently sends it calls (always, in panic mode).
        var isUsable: Bool
    }

    private func choose(_ pick: UpstreamPick) -> ClusterEndpoint {
        guard isBalanced else { return state.withLock { $0.endpoints[0] } }
        let tried = pick.tried?.all ?? []
        let now = clock.now()
        let endpoint = state.withLock { state -> ClusterEndpoint in
            if state.endpoints.count == 1 { return state.endpoints[0] }
            let usable = usableIndices(&state, now: now)
            let fresh = tried.isEmpty ? usable.indices : usable.indices.filter { !tried.contains(state.endpoints[$0].address) }
            let candidates = fresh.isEmpty ? usable.indices : fresh
            let endpoints = state.endpoints
            var chosen: Int?
            switch settings.balancer.policy {
            case .roundRobin:
                chosen = EndpointChoice.roundRobin(among: candidates, counter: state.turn)
                state.turn &+= 1
            case .ringHash:
                if let key = pick.hashKey, let ring = state.ring {
                    let allowed = Set(candidates)
                    chosen = ring.endpoint(for: key, isUsable: { allowed.contains($0) })
                }
            case .powerOfTwoChoices:
                break
            }
            if chosen == nil {
                var generator = FastRandomNumberGenerator()
                chosen = EndpointChoice.powerOfTwo(among: candidates, inFlight: { endpoints[$0].inFlight }, using: &generator)
            }
            return endpoints[chosen ?? 0]
        }
        pick.tried?.add(endpoint.address)
        return endpoint
    }

    /// The endpoints calls may go to, and whether the cluster is in panic (too few usable: all are used).
    private func usableIndices(_ state: inout State, now: NIODeadline) -> (indices: [Int], panic: Bool) {
        var usable: [Int] = []
        usable.reserveCapacity(state.endpoints.count)
        for index in state.endpoints.indices where state.health[index].isHealthy {
            if state.outliers?.isEjected(index, now: now) ?? false { continue }
            usable.append(index)
        }
        let threshold = settings.outlierDetection?.panicThreshold ?? OutlierDetectionSettings().panicThreshold
        if usable.isEmpty || Double(usable.count) < threshold * Double(state.endpoints.count) {
            return (Array(state.endpoints.indices), true)
        }
        return (usable, false)
    }

    /// Counts a finished call for outlier ejection.
    private func finished(_ endpoint: ClusterEndpoint, _ error: (any Error)?) {
        endpoint.callFinished()
        guard isBalanced, settings.outlierDetection != nil else { return }
        let success: Bool
        switch error.map(Self.outcome) {
        case nil, .success?: success = true
        case .failure?: success = false
        case .ignored?: return
        }
        let now = clock.now()
        let ejected = state.withLock { state -> Bool in
            guard state.endpoints.count > 1, let index = state.endpoints.firstIndex(where: { $0 === endpoint }) else { return false }
            return state.outliers?.record(success: success, endpoint: index, now: now) ?? false
        }
        if ejected {
            metrics.ejections.increment()
            logger.warning("endpoint ejected after consecutive failures", metadata: ["backend": "\(name)", "endpoint": "\(endpoint.address)"])
        }
    }

    private enum Outcome { case success, failure, ignored }

    /// Transport failures and server errors count against an endpoint; answers of a working server (even
    /// `NOT_FOUND`) count for it; calls ended here (deadline, cancellation, local limits) say nothing.
    private static func outcome(of error: any Error) -> Outcome {
        guard let callError = error as? GRPCCallError else { return .failure }
        switch callError.kind {
        case .transport: return .failure
        case .local: return .ignored
        case .status: return [.unavailable, .internal, .unknown, .dataLoss].contains(callError.code) ? .failure : .success
        }
    }

    // MARK: Health checks

    private func probe(_ check: HealthCheckSettings, codec: HealthCheckCodec, on loop: any EventLoop) {
        let endpoints = state.withLock { state -> [ClusterEndpoint] in
            guard !state.isStopped else { return [] }
            let due = state.endpoints.filter { !state.probing.contains($0.address) }
            state.probing.formUnion(due.map(\.address))
            return due
        }
        guard let request = try? codec.request(service: check.service) else { return }
        for endpoint in endpoints {
            let call = endpoint.client.unary(
                GRPCHealthProto.checkPath, requests: [request], options: .timeout(TimeAmount(check.timeout)), on: loop
            )
            call.response.whenComplete { result in
                let status = (try? result.get()).flatMap { try? codec.status(in: $0.message) }
                self.recordProbe(endpoint, passed: status == .serving, check: check)
            }
        }
    }

    private func recordProbe(_ endpoint: ClusterEndpoint, passed: Bool, check: HealthCheckSettings) {
        let changed = state.withLock { state -> Bool? in
            state.probing.remove(endpoint.address)
            guard let index = state.endpoints.firstIndex(where: { $0 === endpoint }) else { return nil }
            return state.health[index].record(passed: passed, settings: check) ? state.health[index].isHealthy : nil
        }
        guard let healthy = changed else { return }
        metrics.recordHealthTransition(healthy: healthy)
        if healthy {
            logger.info("endpoint passed its health checks", metadata: ["backend": "\(name)", "endpoint": "\(endpoint.address)"])
        } else {
            logger.warning("endpoint failed its health checks", metadata: ["backend": "\(name)", "endpoint": "\(endpoint.address)"])
        }
    }

    // MARK: Resolution

    private func resolve(on loop: any EventLoop) {
        let names = settings.endpoints.filter { !EndpointResolver.isIPLiteral($0.host) }
        EndpointResolver.resolve(names, on: loop).whenSuccess { answers in
            self.apply(answers)
        }
    }

    /// Replaces each host name's endpoints with its current addresses; a name that failed to resolve keeps
    /// its last ones. Endpoints that stay keep their client, health and ejection record.
    private func apply(_ answers: [HostPort: [HostPort]]) {
        let change = state.withLock { state -> (endpoints: [String], retired: [ClusterEndpoint])? in
            guard !state.isStopped else { return nil }
            for (name, addresses) in answers where !addresses.isEmpty { state.resolved[name] = addresses }
            let wanted = settings.endpoints.flatMap { state.resolved[$0] ?? [$0] }
            var unique: [HostPort] = []
            for address in wanted where !unique.contains(address) { unique.append(address) }
            guard unique != state.endpoints.map(\.address) else { return nil }
            let old = state.endpoints
            let kept = unique.map { address in old.firstIndex { $0.address == address } }
            state.endpoints = zip(unique, kept).map { address, index in index.map { old[$0] } ?? ClusterEndpoint(address: address, client: connect(address)) }
            state.health = kept.map { index in index.map { state.health[$0] } ?? HealthCheckTracker() }
            state.outliers?.remap(kept)
            state.ring = Self.ring(for: settings.balancer, endpoints: state.endpoints)
            let retired = old.filter { endpoint in !state.endpoints.contains { $0 === endpoint } }
            return (unique.map(\.description), retired)
        }
        guard let change else { return }
        logger.info("endpoints changed", metadata: ["backend": "\(name)", "endpoints": "\(change.endpoints.joined(separator: ", "))"])
        retire(change.retired)
    }

    /// Closes the clients of endpoints no longer in the set after ``drainTime``, when their calls are over
    /// (or at ``close()``, whichever comes first).
    private func retire(_ endpoints: [ClusterEndpoint]) {
        guard !endpoints.isEmpty else { return }
        state.withLock { $0.retired += endpoints }
        group.next().scheduleTask(in: drainTime) {
            let due = self.state.withLock { state -> [ClusterEndpoint] in
                let due = state.retired.filter { retired in endpoints.contains { $0 === retired } }
                state.retired.removeAll { retired in endpoints.contains { $0 === retired } }
                return due
            }
            for endpoint in due { _ = endpoint.client.close() }
        }
    }

    private static func ring(for balancer: BalancerSettings, endpoints: [ClusterEndpoint]) -> HashRing? {
        balancer.policy == .ringHash ? HashRing(identities: endpoints.map(\.address.description)) : nil
    }
}
