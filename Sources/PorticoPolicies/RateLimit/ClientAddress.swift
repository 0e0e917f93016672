public import NIOCore
public import NIOHTTP1
public import PorticoConfig

/// Which address a request comes from: the peer's, or — when the peer is a trusted proxy — the nearest
/// untrusted address of `X-Forwarded-For`.
///
/// `X-Forwarded-For` is read from the right: each trusted proxy appends the address it received from, so
/// the right-most address that is not a trusted proxy is the first one no trusted party vouches for. Entries
/// further left are whatever the client wrote, and are never believed.
public struct ClientAddress: Sendable {
    private let trustedProxies: [IPNetwork]

    public init(trustedProxies: [IPNetwork]) {
        self.trustedProxies = trustedProxies
    }

    /// The client's address as text (`203.0.113.7`), or `unknown` when the peer has none (a Unix socket).
    public func resolve(peer: SocketAddress?, headers: HTTPHeaders) -> String {
        guard let peerText = peer?.ipAddress else { return "unknown" }
        guard !trustedProxies.isEmpty, isTrusted(peerText) else { return peerText }
        var client = peerText
        for value in headers[canonicalForm: "x-forwarded-for"].reversed() {
            let text = String(value)
            guard IPNetwork.addressBytes(text) != nil else { return client }
            client = text
            if !isTrusted(text) { return client }
        }
        return client
    }

    private func isTrusted(_ text: String) -> Bool {
        guard let bytes = IPNetwork.addressBytes(text) else { return false }
        return trustedProxies.contains { $0.contains(bytes) }
    }
}
