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
        if let requirement = context.route?.auth, requirement.mode == .mtls {
            return certificate(requirement, context: context)
        }
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

    /// `auth: mtls`: the client certificate the listener verified is the caller; it holds no scopes or roles.
    /// 403 without one (the TLS handshake has no challenge to send), or when the route asks for scopes or roles.
    private func certificate(_ requirement: AuthRequirement, context: RequestContext) -> StageOutcome {
        guard let subject = context.request.clientCertificate else {
            context.gateway.metrics.recordAuthFailure(.missingCredentials)
            return .answer(GatewayError(code: .permissionDenied, message: "this route needs a client certificate", source: .client))
        }
        guard requirement.scopes.isEmpty, requirement.roles.isEmpty else {
            context.gateway.metrics.recordAuthFailure(.insufficientScope)
            return .answer(GatewayError(code: .permissionDenied, message: "a client certificate holds no scopes or roles", source: .client))
        }
        let forward = context.exchange.snapshot.configuration.settings.auth.forward
            .filter { $0.claim == "sub" || $0.claim == "client_id" }
            .map { (name: $0.header, value: subject) }
        context.principal = Principal(kind: .certificate, subject: subject, clientID: subject, metadata: forward)
        return .proceed
    }
}
