import NIOSSL
import PorticoCodec
import PorticoConfig
import PorticoPolicies
import PorticoRouting
import PorticoSchema

/// Everything the request path needs, compiled once from `Protos/` and `Mappings/` and never changed.
///
/// A reload compiles a new snapshot aside and swaps it in whole; requests in flight keep the one they
/// started with.
package final class GatewaySnapshot: Sendable {
    package let configuration: GatewayConfiguration
    package let schema: SchemaPool
    package let routes: RouteTable<GatewayRoute>
    package let transcoder: JSONTranscoder
    package let versions: APIVersionSelector
    package let forwarder: MetadataForwarder
    /// Where the key files of `auth:` are read from when the snapshot's authenticator is built.
    package let authFiles: AuthKeyFiles
    /// What was ignored while loading (proto `extend` blocks and the like), for the log.
    package let warnings: [String]
    /// The HTTPS listener's TLS, when `tls:` configures one.
    package let tls: ListenerTLS?
    /// The TLS client context of each backend (`nil` for cleartext), in the order of ``backends``.
    let backendTLS: [NIOSSLContext?]
    /// Whether any route calls a client-streaming or bidirectional method, whose body may be read as it
    /// arrives: without one, no request head needs a route match to tell.
    let hasClientStreamingRoutes: Bool

    package init(
        configuration: GatewayConfiguration,
        schema: SchemaPool,
        routes: RouteTable<GatewayRoute>,
        transcoder: JSONTranscoder,
        authFiles: AuthKeyFiles,
        warnings: [String],
        tls: ListenerTLS? = nil,
        backendTLS: [NIOSSLContext?] = []
    ) {
        self.configuration = configuration
        self.schema = schema
        self.routes = routes
        self.transcoder = transcoder
        self.authFiles = authFiles
        versions = APIVersionSelector(policy: configuration.settings.versions)
        forwarder = MetadataForwarder(policy: configuration.settings.headers, auth: configuration.settings.auth)
        self.warnings = warnings
        self.tls = tls
        self.backendTLS = backendTLS
        hasClientStreamingRoutes = routes.routes.contains { $0.value.target.clientStreaming }
    }

    /// The backends, in the order ``GatewayRoute/backendIndex`` refers to.
    package var backends: [BackendConfiguration] { configuration.backends }

    /// How many routes the table holds.
    package var routeCount: Int { routes.routes.count }

    /// How many message types the schema holds.
    package var messageCount: Int { schema.messages.count }

    /// The protobuf-c descriptors of the schema.
    package var descriptors: DescriptorPool { transcoder.descriptors }
}
