import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Fetches a JWKS document with one HTTP/1.1 GET over a fresh connection, TLS-verified for `https`.
///
/// A JWKS is fetched every few minutes at most, so a connection per fetch costs nothing that matters and
/// keeps the client small: no pool, no redirects (a JWKS URL is configured, not discovered), a size cap
/// and one deadline for connecting, the handshake and the answer.
struct JWKSFetcher: Sendable {
    let url: JWKSLocation
    let group: any EventLoopGroup
    /// How long one fetch may take, from connecting to the last byte.
    let timeout: TimeAmount
    /// The TLS context for `https` URLs (system trust roots, hostname verification).
    let tls: NIOSSLContext?

    /// The most bytes a JWKS document may have.
    static let maximumBytes = 1 << 20

    /// - Throws: when the TLS context cannot be made.
    init(url: JWKSLocation, group: any EventLoopGroup, timeout: TimeAmount) throws {
        self.url = url
        self.group = group
        self.timeout = timeout
        tls = url.isSecure ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
    }

    /// The document's bytes; fails on a transport or TLS error, a status other than 200, an oversized
    /// body or the deadline.
    func fetch() -> EventLoopFuture<[UInt8]> {
        let loop = group.next()
        let promise = loop.makePromise(of: [UInt8].self)
        let url = self.url
        let tls = self.tls
        let timeout = self.timeout
        ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        let handler = try NIOSSLClientHandler(context: tls, serverHostname: url.isIPAddress ? nil : url.host)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(JWKSResponseHandler(promise: promise, maximumBytes: Self.maximumBytes))
                }
            }
            .connect(host: url.host, port: url.port)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    let deadline = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
                    promise.futureResult.whenComplete { _ in deadline.cancel() }
                    var headers = HTTPHeaders()
                    headers.add(name: "host", value: url.hostHeader)
                    headers.add(name: "accept", value: "application/json, application/jwk-set+json")
                    headers.add(name: "connection", value: "close")
                    let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: url.target, headers: headers)
                    channel.write(HTTPClientRequestPart.head(head), promise: nil)
                    channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
                case .failure(let error):
                    promise.fail(error)
                }
            }
        return promise.futureResult
    }
}

/// Collects one response: its status and a body of at most `maximumBytes`, then closes the connection.
private final class JWKSResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<[UInt8]>
    private let maximumBytes: Int
    private var status: HTTPResponseStatus?
    private var body: [UInt8] = []
    private var isComplete = false

    init(promise: EventLoopPromise<[UInt8]>, maximumBytes: Int) {
        self.promise = promise
        self.maximumBytes = maximumBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = head.status
        case .body(let buffer):
            guard body.count + buffer.readableBytes <= maximumBytes else {
                fail(JWKSFetchError.tooLarge, context: context)
                return
            }
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            if status == .ok {
                complete(.success(body), context: context)
            } else {
                complete(.failure(JWKSFetchError.status(status?.code ?? 0)), context: context)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !isComplete {
            isComplete = true
            promise.fail(JWKSFetchError.closedEarly)
        }
        context.fireChannelInactive()
    }

    private func fail(_ error: any Error, context: ChannelHandlerContext) {
        complete(.failure(error), context: context)
    }

    private func complete(_ result: Result<[UInt8], any Error>, context: ChannelHandlerContext) {
        guard !isComplete else { return }
        isComplete = true
        promise.completeWith(result)
        context.close(promise: nil)
    }
}

/// Why a JWKS fetch gave no document.
enum JWKSFetchError: Error, CustomStringConvertible {
    case status(UInt)
    case tooLarge
    case closedEarly

    var description: String {
        switch self {
        case .status(let code): "the JWKS URL answered \(code)"
        case .tooLarge: "the JWKS document is larger than 1 MiB"
        case .closedEarly: "the connection closed before the whole answer arrived, or the fetch timed out"
        }
    }
}
