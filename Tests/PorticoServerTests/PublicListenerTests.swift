import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import PorticoCore
import PorticoServer
import PorticoTesting
import Testing

/// Answers `<METHOD> <uri> <body>` so tests can see what reached the stages.
private struct EchoResponder: GatewayResponder {
    func respond(to request: GatewayRequest, on eventLoop: any EventLoop) -> EventLoopFuture<GatewayResponse> {
        let text = "\(request.method) \(request.uri) \(String(buffer: request.body))"
        return eventLoop.makeSucceededFuture(GatewayResponse(status: .ok, body: ByteBuffer(string: text)))
    }
}

/// Holds every request until the test releases it, and reports when one has arrived.
private final class GatedResponder: GatewayResponder, Sendable {
    private let pending = NIOLockedValueBox<[EventLoopPromise<GatewayResponse>]>([])
    private let arrivals: AsyncStream<Void>.Continuation
    let arrived: AsyncStream<Void>

    init() {
        (arrived, arrivals) = AsyncStream.makeStream()
    }

    func respond(to request: GatewayRequest, on eventLoop: any EventLoop) -> EventLoopFuture<GatewayResponse> {
        let promise = eventLoop.makePromise(of: GatewayResponse.self)
        pending.withLockedValue { $0.append(promise) }
        arrivals.yield()
        return promise.futureResult
    }

    func releaseAll() {
        for promise in pending.withLockedValue({ $0 }) {
            promise.succeed(GatewayResponse(status: .ok, body: ByteBuffer(string: "released")))
        }
    }
}

/// Answers like ``EchoResponder``, but on a later turn of the event loop, as a backend call does.
private struct DeferredEchoResponder: GatewayResponder {
    func respond(to request: GatewayRequest, on eventLoop: any EventLoop) -> EventLoopFuture<GatewayResponse> {
        let text = "\(request.method) \(request.uri) \(String(buffer: request.body))"
        return eventLoop.submit { GatewayResponse(status: .ok, body: ByteBuffer(string: text)) }
    }
}

/// Never answers; reports each request's cancellation when its client goes away.
private final class AbandonedResponder: GatewayResponder, Sendable {
    private let arrivals: AsyncStream<RequestCancellation>.Continuation
    let arrived: AsyncStream<RequestCancellation>

    init() {
        (arrived, arrivals) = AsyncStream.makeStream()
    }

    func respond(to request: GatewayRequest, on eventLoop: any EventLoop) -> EventLoopFuture<GatewayResponse> {
        arrivals.yield(request.cancellation)
        return eventLoop.makePromise(of: GatewayResponse.self).futureResult
    }
}

/// Work whose cancellation the test waits for.
private struct Signal: CancellableWork {
    let continuation: AsyncStream<Void>.Continuation

    func cancel() {
        continuation.yield()
    }
}

@Suite struct PublicListenerTests {
    private func withListener(
        limits: ListenerLimits = ListenerLimits(maxBodyBytes: 16, maxHeaderBytes: 512),
        responder: any GatewayResponder = EchoResponder(),
        _ body: (Int, any EventLoopGroup, PublicListener) async throws -> Void
    ) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let listener = try await PublicListener.bind(host: "127.0.0.1", port: 0, group: group, limits: limits, responder: responder)
        let port = try #require(listener.localAddress?.port)
        try await body(port, group, listener)
        await listener.shutdown(gracePeriod: .seconds(5))
        try await group.shutdownGracefully()
    }

    @Test func answersAndClosesWhenAsked() async throws {
        try await withListener { port, group, _ in
            let reply = try await RawHTTPClient.exchange(
                port: port,
                request: "POST /v1/x?y=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
                group: group
            )
            #expect(reply.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(reply.contains("connection: close\r\n"))
            #expect(reply.hasSuffix("\r\n\r\nPOST /v1/x?y=1 hello"))
        }
    }

    @Test func answersPipelinedRequestsInOrderOnOneConnection() async throws {
        try await withListener { port, group, _ in
            let request = "GET /first HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST /second HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok"
                + "GET /third HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
            let reply = try await RawHTTPClient.exchange(port: port, request: request, group: group)
            let bodies = reply.components(separatedBy: "HTTP/1.1 200 OK").dropFirst().map {
                String($0[$0.range(of: "\r\n\r\n")!.upperBound...])
            }
            #expect(bodies == ["GET /first ", "POST /second ok", "GET /third "])
        }
    }

    @Test func answersPipelinedRequestsThatWaitForTheirAnswers() async throws {
        try await withListener(responder: DeferredEchoResponder()) { port, group, _ in
            let request = (1...5).map { "GET /r\($0) HTTP/1.1\r\nHost: a\r\n\r\n" }.joined()
                + "GET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
            let reply = try await RawHTTPClient.exchange(port: port, request: request, group: group)
            let bodies = reply.components(separatedBy: "HTTP/1.1 200 OK").dropFirst().map {
                String($0[$0.range(of: "\r\n\r\n")!.upperBound...])
            }
            #expect(bodies == (1...5).map { "GET /r\($0) " } + ["GET /last "])
        }
    }

    @Test func answersHeadWithTheHeadersAndNoBody() async throws {
        try await withListener { port, group, _ in
            let reply = try await RawHTTPClient.exchange(
                port: port,
                request: "HEAD /x HTTP/1.1\r\nHost: a\r\n\r\nGET /y HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
                group: group
            )
            let answers = reply.components(separatedBy: "HTTP/1.1 200 OK\r\n").dropFirst()
            #expect(answers.count == 2)
            #expect(answers.first?.contains("content-length: 8\r\n") == true, "the length the body would have")
            #expect(answers.first?.hasSuffix("\r\n\r\n") == true, "no body")
            #expect(answers.last?.hasSuffix("\r\n\r\nGET /y ") == true)
        }
    }

    /// An early answer, to a body over the limit or to a head over the limit, reaches a client that writes its
    /// whole 8 MiB body before it reads.
    @Test(arguments: [
        ("", "HTTP/1.1 413 Payload Too Large\r\n"),
        ("X-Big: \(String(repeating: "b", count: 600))\r\n", "HTTP/1.1 431 Request Header Fields Too Large\r\n"),
    ])
    func aClientThatWritesItsWholeBodyFirstStillReadsTheEarlyAnswer(extraHeader: String, answer: String) async throws {
        try await withListener { port, group, _ in
            let body = String(repeating: "x", count: 8 << 20)
            let reply = try await RawHTTPClient.exchange(
                port: port,
                request: "POST /x HTTP/1.1\r\nHost: a\r\n\(extraHeader)Content-Length: \(body.utf8.count)\r\n\r\n\(body)",
                group: group
            )
            #expect(reply.hasPrefix(answer))
        }
    }

    @Test func aClientThatGoesAwayCancelsItsRequest() async throws {
        let responder = AbandonedResponder()
        try await withListener(responder: responder) { port, group, _ in
            let channel = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port).get()
            try await channel.writeAndFlush(ByteBuffer(string: "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")).get()
            var arrivals = responder.arrived.makeAsyncIterator()
            let cancellation = try #require(await arrivals.next())
            #expect(!cancellation.isCancelled)
            let (cancelled, signal) = AsyncStream<Void>.makeStream()
            cancellation.onCancel(Signal(continuation: signal))
            try await channel.close()
            var signals = cancelled.makeAsyncIterator()
            await signals.next()
            #expect(cancellation.isCancelled)
        }
    }

    @Test func rejectsADeclaredOversizedBodyWith413() async throws {
        try await withListener { port, group, _ in
            let reply = try await RawHTTPClient.exchange(
                port: port,
                request: "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 17\r\n\r\n",
                group: group
            )
            #expect(reply.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
            #expect(reply.hasSuffix("{\"code\":3,\"message\":\"request body too large\",\"details\":[]}"))
        }
    }

    @Test func rejectsAStreamedOversizedBodyWith413() async throws {
        try await withListener { port, group, _ in
            let chunk = String(repeating: "a", count: 10)
            let reply = try await RawHTTPClient.exchange(
                port: port,
                request: "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\na\r\n\(chunk)\r\na\r\n\(chunk)\r\n0\r\n\r\n",
                group: group
            )
            #expect(reply.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
        }
    }

    @Test func rejectsOversizedHeadersWith431() async throws {
        try await withListener { port, group, _ in
            let big = String(repeating: "b", count: 600)
            let reply = try await RawHTTPClient.exchange(
                port: port,
                request: "GET /x HTTP/1.1\r\nHost: a\r\nX-Big: \(big)\r\n\r\n",
                group: group
            )
            #expect(reply.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
            #expect(reply.hasSuffix("\"message\":\"request headers too large\",\"details\":[]}"))
        }
    }

    @Test func rejectsMalformedRequestsWith400() async throws {
        try await withListener { port, group, _ in
            let reply = try await RawHTTPClient.exchange(port: port, request: "GARBAGE\r\n\r\n", group: group)
            #expect(reply.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
            #expect(reply.hasSuffix("{\"code\":3,\"message\":\"malformed HTTP request\",\"details\":[]}"))
        }
    }

    @Test func shutdownLetsAnInFlightRequestFinish() async throws {
        let responder = GatedResponder()
        try await withListener(responder: responder) { port, group, listener in
            async let reply = RawHTTPClient.exchange(
                port: port,
                request: "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n",
                group: group
            )
            var arrivals = responder.arrived.makeAsyncIterator()
            await arrivals.next()
            async let stopped: Void = listener.shutdown(gracePeriod: .seconds(30))
            await listener.stoppedAccepting()
            responder.releaseAll()
            let answer = try await reply
            await stopped
            #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(answer.hasSuffix("released"))
        }
    }
}
