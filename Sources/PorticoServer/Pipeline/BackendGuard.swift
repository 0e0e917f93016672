import CoreMetrics
import Logging
import NIOCore
import NIOHTTP1
import PorticoConfig
import PorticoCore
import PorticoHTTP2
import PorticoPolicies

/// A backend's breaker and retry policy, as one request's calls to it use them.
struct BackendGuard: Sendable {
    let name: String
    let breaker: CircuitBreaker?
    let failureCodes: Set<GRPCStatusCode>
    let retries: RetrySettings?
    let budget: RetryBudget?
    let metrics: BackendMetrics
    let logger: Logger

    init(backend: BackendConfiguration, directory: PolicyDirectory, metrics: BackendMetrics, logger: Logger) {
        name = backend.name
        let breakerSettings = backend.policies.circuitBreaker
        breaker = breakerSettings.map { directory.breaker(backend: backend.name, settings: $0) }
        failureCodes = breakerSettings?.failureCodes ?? []
        retries = backend.policies.retries
        budget = retries.map { directory.retryBudget(backend: backend.name, settings: $0) }
        self.metrics = metrics
        self.logger = logger
    }

    /// Runs `attempt` under the breaker, and again after a jittered backoff while the failure is retryable,
    /// attempts and budget remain and the deadline leaves room.
    ///
    /// A call is retried when the backend certainly never processed it (refused stream, GOAWAY, no
    /// connection), or — on idempotent routes only — when it answered one of the `retry_on` codes; never when
    /// `retrying` is `false` (a request whose body was consumed as it arrived cannot be sent again).
    ///
    /// The returned future fails with a ``GatewayError`` only: a refusal of the breaker, or the last attempt's
    /// failure with the backend's allow-listed trailers (`forwarder`) as its headers.
    func call<Reply: Sendable>(
        idempotent: Bool,
        retrying: Bool = true,
        deadline: ClientDeadline,
        forwarder: MetadataForwarder,
        on eventLoop: any EventLoop,
        _ attempt: @escaping @Sendable () -> EventLoopFuture<Reply>
    ) -> EventLoopFuture<Reply> {
        budget?.recordRequest()
        return run(number: retrying ? 0 : retries?.attempts ?? 0, idempotent: idempotent, deadline: deadline, forwarder: forwarder, on: eventLoop, attempt)
    }

    /// A failed call as the gateway's error, carrying the backend's allow-listed trailers as headers.
    static func gatewayError(_ error: any Error, forwarder: MetadataForwarder) -> GatewayError {
        var gatewayError = GatewayError(error)
        if let callError = error as? GRPCCallError {
            var headers = HTTPHeaders()
            forwarder.addResponseHeaders(from: callError.trailers, to: &headers)
            gatewayError.headers += headers.map { ($0.name, $0.value) }
        }
        return gatewayError
    }

    /// Asks the breaker to let one attempt through: its ticket (`nil` without a breaker), or the refusal to
    /// answer (counted).
    func admit() -> Result<CircuitBreaker.StateMachine.Ticket?, GatewayError> {
        guard let breaker else { return .success(nil) }
        let (admission, transition) = breaker.admit()
        report(transition)
        switch admission {
        case .admitted(let ticket):
            return .success(ticket)
        case .rejected(let reason, let retryAfter):
            metrics.record(reason)
            return .failure(rejection(reason, retryAfter: retryAfter))
        }
    }

    /// Records an attempt that ended (`failure` `nil` when it succeeded): its duration since `started`, and
    /// its outcome on the breaker that admitted it with `ticket`.
    func recordAttempt(failure: (any Error)?, started: NIODeadline, ticket: CircuitBreaker.StateMachine.Ticket?, deadline: ClientDeadline) {
        metrics.callDuration.recordNanoseconds((NIODeadline.now() - started).nanoseconds)
        guard let ticket else { return }
        let outcome = failure.map { self.outcome(of: $0, deadline: deadline) } ?? .success
        report(breaker?.record(outcome, ticket: ticket))
    }

    private func run<Reply: Sendable>(
        number: Int,
        idempotent: Bool,
        deadline: ClientDeadline,
        forwarder: MetadataForwarder,
        on eventLoop: any EventLoop,
        _ attempt: @escaping @Sendable () -> EventLoopFuture<Reply>
    ) -> EventLoopFuture<Reply> {
        let ticket: CircuitBreaker.StateMachine.Ticket?
        switch admit() {
        case .success(let admitted): ticket = admitted
        case .failure(let refusal): return eventLoop.makeFailedFuture(refusal)
        }
        let started = NIODeadline.now()
        return attempt()
            .map { reply in
                self.recordAttempt(failure: nil, started: started, ticket: ticket, deadline: deadline)
                return reply
            }
            .flatMapError { error in
                self.recordAttempt(failure: error, started: started, ticket: ticket, deadline: deadline)
                guard let delay = self.retryDelay(after: error, number: number, idempotent: idempotent, deadline: deadline) else {
                    return eventLoop.makeFailedFuture(Self.gatewayError(error, forwarder: forwarder))
                }
                return eventLoop.scheduleTask(in: delay) {}.futureResult.flatMap {
                    self.run(number: number + 1, idempotent: idempotent, deadline: deadline, forwarder: forwarder, on: eventLoop, attempt)
                }
            }
    }

    /// How long to wait before retrying after `error` (counted as a retry), or `nil` when the call must not
    /// be retried; `number` is the attempt that failed, from 0.
    func retryDelay(after error: any Error, number: Int, idempotent: Bool, deadline: ClientDeadline) -> TimeAmount? {
        guard let retries, number < retries.attempts, let callError = error as? GRPCCallError else { return nil }
        let safe = callError.isRetryable || (idempotent && callError.kind != .local && retries.retryOn.contains(callError.code))
        guard safe else { return nil }
        var generator = SystemRandomNumberGenerator()
        let delay = RetryBackoff(retries).delay(attempt: number, using: &generator)
        guard NIODeadline.now() + delay < deadline.deadline else { return nil }
        guard budget?.withdrawRetry() ?? true else {
            metrics.retryBudgetRefusals.increment()
            return nil
        }
        metrics.retries.increment()
        return delay
    }

    /// Whether a failed call says the backend is unhealthy: transport failures do, and so do timeouts of
    /// the route's own deadline; statuses when they are among the breaker's failure codes. A call cancelled
    /// here (the client went away) or cut short by a deadline the client shortened says nothing.
    private func outcome(of error: any Error, deadline: ClientDeadline) -> CircuitBreaker.StateMachine.Outcome {
        guard let callError = error as? GRPCCallError else { return .failure }
        switch callError.kind {
        case .transport:
            return .failure
        case .local:
            return callError.code == .deadlineExceeded && !deadline.isShortenedByClient ? .failure : .ignored
        case .status:
            return failureCodes.contains(callError.code) ? .failure : .success
        }
    }

    private func rejection(_ reason: CircuitBreaker.StateMachine.Rejection, retryAfter: TimeAmount) -> GatewayError {
        let message = switch reason {
        case .open: "backend \(name) is unavailable: its circuit breaker is open"
        case .halfOpenProbesBusy: "backend \(name) is recovering: its circuit breaker admits only probe requests"
        case .tooManyConcurrentRequests: "backend \(name) has too many requests in flight"
        }
        let seconds = max(1, (retryAfter.nanoseconds + 999_999_999) / 1_000_000_000)
        return GatewayError(code: .unavailable, message: message, source: .gateway, headers: [("retry-after", String(seconds))])
    }

    /// Counts and logs a breaker transition, if there was one.
    private func report(_ transition: CircuitBreaker.StateMachine.Transition?) {
        metrics.record(transition)
        switch transition {
        case .opened?: logger.warning("circuit breaker opened", metadata: ["backend": "\(name)"])
        case .halfOpened?: logger.info("circuit breaker half-open: probing", metadata: ["backend": "\(name)"])
        case .closed?: logger.info("circuit breaker closed", metadata: ["backend": "\(name)"])
        case nil: break
        }
    }
}
