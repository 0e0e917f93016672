import CoreMetrics
import NIOCore
import PorticoConfig
import PorticoCore
import PorticoPolicies

/// Checks the caller's credential against the route's `auth`: 401 with `WWW-Authenticate` without a valid
/// one, 403 without the scopes or roles. It waits only for a JWKS refetch when a token names an unknown key.
struct AuthenticationStage: RequestStage {
    let eventName = "portico.authentication"

    func process(_ context: RequestContext) -> StageOutcome {
        guard let requirement = context.route?.auth, requirement.mode != .none, let authenticator = context.gateway.authenticator else {
            return .proceed
        }
        let request = context.request
        let checked = authenticator.authenticate(
            headers: request.headers, query: request.query, requirement: requirement, on: context.eventLoop
        )
        let metrics = context.gateway.metrics
        checked.whenFailure { error in
            if let failure = error as? AuthFailure { metrics.recordAuthFailure(failure.reason) }
        }
        return .wait(checked.assumeIsolated().map { principal in context.principal = principal }.nonisolated())
    }
}
