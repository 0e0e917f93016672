import NIOCore
import NIOHTTP1
import PorticoConfig
import PorticoCore
import PorticoHTTP2

/// The time a client allows its request: `grpc-timeout` (gRPC's format, `250m`) or `X-Request-Timeout` (a
/// duration as the mapping files write them, `250ms`, `2s`), never more than the route's own timeout.
///
/// The shorter of the values given wins; the result becomes the backend call's deadline and its
/// `grpc-timeout`, so a backend never works on an answer the client has stopped waiting for. A deadline the
/// client shortened says nothing about the backend's health when it passes, so the breaker ignores it.
struct ClientDeadline: Sendable {
    /// When the backend call must be over.
    var deadline: NIODeadline
    /// Whether the client asked for less time than the route allows.
    var isShortenedByClient: Bool

    init(deadline: NIODeadline, isShortenedByClient: Bool) {
        self.deadline = deadline
        self.isShortenedByClient = isShortenedByClient
    }

    /// Whether no deadline applies: a stream without `max_duration` whose client asked for none.
    var isUnlimited: Bool { deadline == .distantFuture }

    /// - Parameter routeTimeout: the route's timeout; `nil` for none (a stream without `max_duration`).
    init(for headers: HTTPHeaders, routeTimeout: TimeAmount?, started: NIODeadline) throws(GatewayError) {
        var timeout = routeTimeout
        if let value = headers.first(name: "grpc-timeout") {
            guard let asked = GRPCTimeout.decode(value) else {
                throw .invalidArgument("grpc-timeout must be up to eight digits and a unit H, M, S, m, u or n, such as 250m")
            }
            timeout = min(timeout ?? asked, asked)
        }
        if let value = headers.first(name: "x-request-timeout") {
            guard let asked = DurationParser.parse(value), asked > .zero else {
                throw .invalidArgument("x-request-timeout must be a duration such as 250ms or 2s")
            }
            timeout = min(timeout ?? TimeAmount(asked), TimeAmount(asked))
        }
        guard let timeout else {
            deadline = .distantFuture
            isShortenedByClient = false
            return
        }
        deadline = started + timeout
        isShortenedByClient = routeTimeout.map { timeout < $0 } ?? true
    }
}
