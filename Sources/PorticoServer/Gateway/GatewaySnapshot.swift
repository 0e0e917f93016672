public import PorticoCodec
public import PorticoConfig
public import PorticoPolicies
public import PorticoRouting
public import PorticoSchema

/// Everything the request path needs, compiled once from `Protos/` and `Mappings/` and never changed.
///
/// A reload compiles a new snapshot aside and swaps it in whole; requests in flight keep the one they
/// started with.
public final class GatewaySnapshot: Sendable {
    public let configuration: GatewayConfiguration
    public let schema: SchemaPool
    public let routes: RouteTable<GatewayRoute>
    public let transcoder: JSONTranscoder
    public let versions: APIVersionSelector
    public let forwarder: MetadataForwarder
    /// Where the key files of `auth:` are read from when the snapshot's authenticator is built.
    public let authFiles: AuthKeyFiles
    /// What was ignored while loading (proto `extend` blocks and the like), for the log.
    public let warnings: [String]

    public init(
        configuration: GatewayConfiguration,
        schema: SchemaPool,
        routes: RouteTable<GatewayRoute>,
        transcoder: JSONTranscoder,
        authFiles: AuthKeyFiles,
        warnings: [String]
    ) {
        self.configuration = configuration
        self.schema = schema
        self.routes = routes
        self.transcoder = transcoder
        self.authFiles = authFiles
        versions = APIVersionSelector(policy: configuration.settings.versions)
        forwarder = MetadataForwarder(policy: configuration.settings.headers, auth: configuration.settings.auth)
        self.warnings = warnings
    }

    /// The backends, in the order ``GatewayRoute/backendIndex`` refers to.
    public var backends: [BackendConfiguration] { configuration.backends }

    /// How many routes the table holds.
    public var routeCount: Int { routes.routes.count }

    /// How many message types the schema holds.
    public var messageCount: Int { schema.messages.count }

    /// The protobuf-c descriptors of the schema.
    public var descriptors: DescriptorPool { transcoder.descriptors }
}
