import NIOCore
import NIOPosix
import PorticoCodec
import PorticoConfig

/// Whether every backend of the running snapshot accepts connections, for `/readyz`.
///
/// Each backend's address is dialled once per check with a short connect timeout; a backend whose breaker
/// is open counts as not ready even when it accepts connections, since the gateway refuses its calls.
struct BackendReadiness {
    struct Entry {
        var backend: String
        var address: String
        var reachable: Bool
        var breaker: String
    }

    static let connectTimeout = TimeAmount.seconds(1)

    static func check(_ pipeline: GatewayPipeline, on eventLoop: any EventLoop) -> EventLoopFuture<[Entry]> {
        let states = pipeline.breakerStates()
        let probes = pipeline.snapshot.backends.enumerated().map { index, backend in
            ClientBootstrap(group: eventLoop)
                .connectTimeout(connectTimeout)
                .connect(host: backend.address.host, port: backend.address.port)
                .flatMap { channel in channel.close().map { true } }
                .recover { _ in false }
                .map { reachable in
                    Entry(
                        backend: backend.name,
                        address: "\(backend.address.host):\(backend.address.port)",
                        reachable: reachable,
                        breaker: index < states.count ? states[index].state : "off"
                    )
                }
        }
        return EventLoopFuture.whenAllSucceed(probes, on: eventLoop)
    }

    /// `{"status":"ready","backends":[…]}`; ready when every backend is reachable and not open.
    static func json(_ entries: [Entry]) -> (ready: Bool, body: [UInt8]) {
        let ready = entries.allSatisfy { $0.reachable && $0.breaker != "open" }
        var bytes = Array(#"{"status":"\#(ready ? "ready" : "not_ready")","backends":["#.utf8)
        for (index, entry) in entries.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            var object = JSONObjectBuilder()
            object.add("backend", entry.backend)
            object.add("address", entry.address)
            object.add("reachable", entry.reachable)
            object.add("breaker", entry.breaker)
            bytes += object.finish()
        }
        bytes += Array("]}".utf8)
        return (ready, bytes)
    }
}
