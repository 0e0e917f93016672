import Logging
import NIOCore
import PorticoConfig
import PorticoCore
import PorticoPolicies
import Foundation
import Tracing

/// A running gateway: the public listener over the pipeline, the admin listener, and the backend clients.
///
/// Built from a compiled ``GatewaySnapshot``; ``reload(using:)`` compiles a new one aside and swaps it in
/// only when it compiles, so a bad edit never takes the gateway down.
package final class GatewayServer: Sendable {
    package let pipeline: GatewayPipeline
    private let listener: PublicListener
    /// The HTTPS listener, when `tls:` (or the caller) configures one.
    private let secureListener: PublicListener?
    private let admin: PublicListener?
    private let upstreams: UpstreamDirectory
    private let readiness: GatewayReadiness

    /// The public listener's address (its real port when bound to port 0).
    package var localAddress: SocketAddress? { listener.localAddress }
    /// The admin listener's address, when there is one.
    package var adminAddress: SocketAddress? { admin?.localAddress }
    /// The HTTPS listener's address, when there is one.
    package var secureAddress: SocketAddress? { secureListener?.localAddress }

    /// The public listener's open connections.
    package var openConnections: Int { listener.openConnections }

    private let wallClock: @Sendable () -> Double

    private init(
        pipeline: GatewayPipeline, listener: PublicListener, secureListener: PublicListener?, admin: PublicListener?, upstreams: UpstreamDirectory,
        readiness: GatewayReadiness, wallClock: @escaping @Sendable () -> Double
    ) {
        self.pipeline = pipeline
        self.listener = listener
        self.secureListener = secureListener
        self.admin = admin
        self.upstreams = upstreams
        self.readiness = readiness
        self.wallClock = wallClock
    }

    /// The gateway's metrics (served by the admin listener at `/metrics`).
    package var metrics: GatewayMetrics { pipeline.metrics }

    /// Binds the listeners of `snapshot`'s settings (or `listen`/`adminListen`/`secureListen` when given, as tests
    /// do with port 0) and starts serving, over HTTPS too with the snapshot's `tls:` or else `tls` (the demo's,
    /// which is skipped with a warning when its address cannot be bound); `wallClock` (Unix seconds) checks token lifetimes, `clock` drives the rate
    /// limits, breakers, retry budgets and JWKS refetches; `tracer` records a span per request and per backend
    /// call (without one, a caller's `traceparent` is only passed on).
    ///
    /// - Throws: the socket error when an address cannot be bound.
    package static func start(
        snapshot: GatewaySnapshot,
        group: any EventLoopGroup,
        accessLog: (any AccessLogSink)?,
        listen: HostPort? = nil,
        adminListen: HostPort? = nil,
        secureListen: HostPort? = nil,
        tls: ListenerTLS? = nil,
        wallClock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
        clock: any MonotonicClock = SystemMonotonicClock(),
        tracer: (any Tracer)? = nil
    ) async throws -> GatewayServer {
        let settings = snapshot.configuration.settings
        let upstreams = UpstreamDirectory(group: group)
        let metrics = GatewayMetrics(version: PorticoBuild.version, startTime: wallClock())
        let pipeline = try GatewayPipeline(
            snapshot: snapshot, upstreams: upstreams, accessLog: accessLog, wallClock: wallClock, clock: clock, metrics: metrics,
            tracer: tracer
        )
        let address = listen ?? settings.listen
        let listener = try await PublicListener.bind(
            host: address.host, port: address.port, group: group, limits: Self.listenerLimits(settings), metrics: pipeline.metrics,
            responder: pipeline
        )
        var secureListener: PublicListener?
        if let tls = snapshot.tls ?? tls {
            let address = secureListen ?? tls.listen
            do {
                secureListener = try await PublicListener.bind(
                    host: address.host, port: address.port, group: group, limits: Self.listenerLimits(settings), tls: tls.context,
                    metrics: pipeline.metrics, responder: pipeline
                )
            } catch where snapshot.tls == nil {
                Logger(label: "portico").warning("HTTPS not served: cannot bind \(address.host):\(address.port)", metadata: ["error": "\(error)"])
            }
        }
        let readiness = GatewayReadiness()
        var admin: PublicListener?
        if let adminAddress = adminListen ?? settings.admin {
            admin = try await PublicListener.bind(
                host: adminAddress.host, port: adminAddress.port, group: group,
                limits: Self.listenerLimits(settings, maxBodyBytes: 0),
                responder: AdminResponder(pipeline: pipeline, readiness: readiness)
            )
        }
        return GatewayServer(
            pipeline: pipeline, listener: listener, secureListener: secureListener, admin: admin, upstreams: upstreams, readiness: readiness,
            wallClock: wallClock
        )
    }

    /// Compiles the configuration again and swaps it in; on failure the running snapshot stays.
    ///
    /// Routes, policies, versions, headers and the access log apply to the next request; the body and header
    /// limits and the TLS certificates to the next connection. The listen, admin and `tls.listen` addresses apply
    /// only at start: a change to them is reported in ``GatewayReload/needsRestart``.
    ///
    /// - Returns: the new snapshot and what it could not apply, or every problem that kept it from compiling.
    package func reload(using compiler: GatewayCompiler) -> Result<GatewayReload, GatewayCompileError> {
        do {
            let snapshot = try compiler.compile()
            let previous = pipeline.snapshot.configuration.settings
            try pipeline.install(snapshot)
            let settings = snapshot.configuration.settings
            listener.apply(Self.listenerLimits(settings))
            secureListener?.apply(Self.listenerLimits(settings))
            if let tls = snapshot.tls { secureListener?.apply(tls: tls.context) }
            var needsRestart: [String] = []
            if settings.listen != previous.listen { needsRestart.append("listen") }
            if settings.tls?.listen != previous.tls?.listen { needsRestart.append("tls.listen") }
            if settings.admin != previous.admin { needsRestart.append("admin") }
            pipeline.metrics.recordReload(succeeded: true, at: wallClock())
            return .success(GatewayReload(snapshot: snapshot, needsRestart: needsRestart))
        } catch {
            pipeline.metrics.recordReload(succeeded: false, at: wallClock())
            return .failure(error)
        }
    }

    private static func listenerLimits(_ settings: GatewaySettings, maxBodyBytes: Int? = nil) -> ListenerLimits {
        let limits = settings.limits
        return ListenerLimits(
            maxBodyBytes: maxBodyBytes ?? limits.maxBodyBytes,
            maxHeaderBytes: limits.maxHeaderBytes,
            requestHeadTimeout: TimeAmount(limits.requestHeadTimeout),
            bodyReadTimeout: TimeAmount(limits.bodyReadTimeout),
            keepAliveTimeout: TimeAmount(limits.keepAliveTimeout),
            maxConnections: limits.maxConnections,
            maxConnectionsPerClient: limits.maxConnectionsPerClient,
            maxPipelinedRequests: limits.maxPipelinedRequests,
            http2MaxConcurrentStreams: limits.http2MaxConcurrentStreams
        )
    }

    /// Stops accepting, lets in-flight requests finish within `gracePeriod`, then closes backend and Redis
    /// connections.
    package func shutdown(gracePeriod: TimeAmount) async {
        readiness.markDraining()
        async let publicDrained: Void = listener.shutdown(gracePeriod: gracePeriod)
        async let secureDrained: Void? = secureListener?.shutdown(gracePeriod: gracePeriod)
        await admin?.shutdown(gracePeriod: gracePeriod)
        await publicDrained
        await secureDrained
        await upstreams.close()
        await pipeline.closeSharedLimits()
    }
}
