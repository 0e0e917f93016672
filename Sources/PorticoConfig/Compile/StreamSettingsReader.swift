/// Reads a route's `stream:`: `{ idle_timeout: 5m, max_duration: 1h, max_messages: 100000, max_bytes: 64MiB,
/// heartbeat: 15s }`, every key optional; `max_duration` and `heartbeat` also take `off`.
package enum StreamSettingsReader {
    package static func read(_ node: ConfigNode) -> StreamSettings? {
        let keys: Set<String> = ["idle_timeout", "max_duration", "max_messages", "max_bytes", "heartbeat"]
        guard let fields = node.fields(allowed: keys) else { return nil }
        var settings = StreamSettings()
        if let idle = fields["idle_timeout"].flatMap(GatewayFileReader.duration) { settings.idleTimeout = idle }
        if let node = fields["max_duration"] {
            settings.maxDuration = PolicyReader.isOff(node) ? nil : GatewayFileReader.duration(node)
        }
        if let node = fields["max_messages"], let count = node.count() {
            if count.value > 0 {
                settings.maxMessages = count.value
            } else {
                node.log.report("max_messages must be at least 1", at: node.location)
            }
        }
        settings.maxBytes = fields["max_bytes"].flatMap(GatewayFileReader.byteSize)
        if let node = fields["heartbeat"] {
            settings.heartbeat = PolicyReader.isOff(node) ? nil : GatewayFileReader.duration(node)
        }
        return settings
    }
}
