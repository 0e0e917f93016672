/// What a reload installed, and which changed settings wait for a restart.
package struct GatewayReload: Sendable {
    /// The snapshot now serving.
    package var snapshot: GatewaySnapshot
    /// The `gateway.yaml` keys that changed but apply only at start (`listen`, `admin`).
    package var needsRestart: [String]
}
