#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix
import PorticoConfig

/// Resolves the host names among a backend's endpoints to their addresses, off the event loops.
enum EndpointResolver {
    /// Whether `host` is an IPv4 or IPv6 literal rather than a name.
    static func isIPLiteral(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    /// Every address of each name (TCP, IPv4 and IPv6, in the resolver's order) on the blocking-I/O thread
    /// pool; a name that fails to resolve maps to no address.
    static func resolve(_ names: [HostPort], on loop: any EventLoop) -> EventLoopFuture<[HostPort: [HostPort]]> {
        NIOThreadPool.singleton.runIfActive(eventLoop: loop) {
            var answers: [HostPort: [HostPort]] = [:]
            for name in names { answers[name] = addresses(of: name) }
            return answers
        }
    }

    private static func addresses(of name: HostPort) -> [HostPort] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name.host, String(name.port), &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var found: [HostPort] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            if let address = current.pointee.ai_addr, let text = numericHost(address, length: current.pointee.ai_addrlen) {
                let endpoint = HostPort(host: text, port: name.port)
                if !found.contains(endpoint) { found.append(endpoint) }
            }
            entry = current.pointee.ai_next
        }
        return found
    }

    private static func numericHost(_ address: UnsafeMutablePointer<sockaddr>, length: socklen_t) -> String? {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        guard getnameinfo(address, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else { return nil }
        return String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
