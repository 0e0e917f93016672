/// What a reload installed, and which changed settings wait for a restart.
public struct GatewayReload: Sendable {
    /// The snapshot now serving.
    public var snapshot: GatewaySnapshot
    /// The `gateway.yaml` keys that changed but apply only at start (`listen`, `admin`).
    public var needsRestart: [String]
}
