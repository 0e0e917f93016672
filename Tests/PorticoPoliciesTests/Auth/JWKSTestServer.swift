import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A loopback HTTP/1.1 server that serves a JWKS document the test can change, and counts its requests.
final class JWKSTestServer: Sendable {
    private let document: Mutex<String>
    private let requests = Mutex(0)
    private let channel: any Channel
    private let isTLS: Bool

    /// The number of requests answered so far.
    var requestCount: Int { requests.withLock { $0 } }

    /// The URL of the document.
    var url: String { "\(isTLS ? "https" : "http")://127.0.0.1:\(channel.localAddress?.port ?? 0)/.well-known/jwks.json" }

    private init(document: String, channel: any Channel, isTLS: Bool) {
        self.document = Mutex(document)
        self.channel = channel
        self.isTLS = isTLS
    }

    /// Starts a server on 127.0.0.1, port 0, over TLS when `tls` is given; it is ready when this returns.
    static func start(serving document: String, group: any EventLoopGroup, tls: NIOSSLContext? = nil) async throws -> JWKSTestServer {
        let box = Mutex<JWKSTestServer?>(nil)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(server: box.withLock { $0 }))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let server = JWKSTestServer(document: document, channel: channel, isTLS: tls != nil)
        box.withLock { $0 = server }
        return server
    }

    /// Serves `document` from now on.
    func serve(_ document: String) {
        self.document.withLock { $0 = document }
    }

    /// Stops listening.
    func stop() async throws {
        try await channel.close()
    }

    fileprivate func answer() -> String {
        requests.withLock { $0 += 1 }
        return document.withLock { $0 }
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let server: JWKSTestServer?

        init(server: JWKSTestServer?) {
            self.server = server
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            let body = context.channel.allocator.buffer(string: server?.answer() ?? "")
            let headers: HTTPHeaders = ["content-type": "application/json", "content-length": "\(body.readableBytes)"]
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
