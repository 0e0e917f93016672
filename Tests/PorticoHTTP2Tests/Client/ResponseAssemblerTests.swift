import NIOCore
import PorticoCore
import Testing

@testable import PorticoHTTP2

@Suite("Response assembly: headers, messages, trailers, trailers-only and failures")
struct ResponseAssemblerTests {
    private static let okHeaders = [
        HTTP2HeaderField(name: ":status", value: "200"), HTTP2HeaderField(name: "content-type", value: "application/grpc"),
        HTTP2HeaderField(name: "x-h", value: "1"),
    ]
    private static let noError = NGHTTP2Session.ErrorCode.noError

    @Test("headers, one message, trailers → OK with metadata")
    func success() throws {
        var assembler = GRPCResponseAssembler(maximumMessageSize: 100)
        try assembler.receiveHeaders(Self.okHeaders, kind: .response)
        var data = ByteBuffer()
        GRPCMessageFraming.frame(ByteBuffer(string: "hi"), into: &data)
        let messages = try assembler.receiveData(data, allocator: ByteBufferAllocator())
        #expect(messages.map { String(buffer: $0.bytes) } == ["hi"])
        #expect(messages.first?.wireLength == 7)
        try assembler.receiveHeaders([HTTP2HeaderField(name: "grpc-status", value: "0"), HTTP2HeaderField(name: "x-t", value: "2")], kind: .trailers)
        #expect(try assembler.finish(errorCode: Self.noError, refusedByGoAway: false).get() == .ok)
        #expect(assembler.headers?["x-h"] == "1")
        #expect(assembler.trailers["x-t"] == "2")
    }

    @Test("trailers-only response carries status, decoded message and details")
    func trailersOnly() throws {
        var assembler = GRPCResponseAssembler(maximumMessageSize: 100)
        try assembler.receiveHeaders(
            Self.okHeaders + [
                HTTP2HeaderField(name: "grpc-status", value: "5"), HTTP2HeaderField(name: "grpc-message", value: "no%20such%20user"),
                HTTP2HeaderField(name: "grpc-status-details-bin", value: "AQID"),
            ],
            kind: .response
        )
        let error = try #require(assembler.finish(errorCode: Self.noError, refusedByGoAway: false).failure)
        #expect(error.status == GRPCStatus(code: .notFound, message: "no such user", details: [1, 2, 3]))
        #expect(error.kind == .status)
        #expect(!error.isRetryable)
    }

    @Test(
        "non-200 HTTP statuses map through the spec's table",
        arguments: [("503", GRPCStatusCode.unavailable), ("404", .unimplemented), ("401", .unauthenticated), ("500", .unknown)]
    )
    func httpStatus(status: String, code: GRPCStatusCode) {
        var assembler = GRPCResponseAssembler(maximumMessageSize: 100)
        #expect(throws: GRPCCallError.self) {
            try assembler.receiveHeaders([HTTP2HeaderField(name: ":status", value: status)], kind: .response)
        }
        #expect(assembler.finish(errorCode: Self.noError, refusedByGoAway: false).failure?.code == code)
    }

    @Test(
        "a stream that ends without a status",
        arguments: [
            (UInt32(0), false, GRPCStatusCode.internal, false), (NGHTTP2Session.ErrorCode.refusedStream, false, .unavailable, true),
            (NGHTTP2Session.ErrorCode.cancel, false, .cancelled, false), (0, true, .unavailable, true),
            (NGHTTP2Session.ErrorCode.enhanceYourCalm, false, .resourceExhausted, false),
        ]
    )
    func noStatus(errorCode: UInt32, goAway: Bool, code: GRPCStatusCode, retryable: Bool) {
        let assembler = GRPCResponseAssembler(maximumMessageSize: 100)
        let error = assembler.finish(errorCode: errorCode, refusedByGoAway: goAway).failure
        #expect(error?.code == code)
        #expect(error?.isRetryable == retryable)
    }

    @Test("a refused stream after response headers is not safe to retry")
    func refusedAfterHeaders() throws {
        var assembler = GRPCResponseAssembler(maximumMessageSize: 100)
        try assembler.receiveHeaders(Self.okHeaders, kind: .response)
        let error = assembler.finish(errorCode: NGHTTP2Session.ErrorCode.refusedStream, refusedByGoAway: false).failure
        #expect(error?.code == .unavailable)
        #expect(error?.isRetryable == false)
    }

    @Test("a status with a wrong content-type is UNKNOWN; trailers without grpc-status are INTERNAL")
    func malformed() throws {
        var wrongType = GRPCResponseAssembler(maximumMessageSize: 100)
        #expect(throws: GRPCCallError.self) {
            try wrongType.receiveHeaders(
                [HTTP2HeaderField(name: ":status", value: "200"), HTTP2HeaderField(name: "grpc-status", value: "0")],
                kind: .response
            )
        }
        #expect(wrongType.finish(errorCode: Self.noError, refusedByGoAway: false).failure?.code == .unknown)
        var noStatus = GRPCResponseAssembler(maximumMessageSize: 100)
        try noStatus.receiveHeaders(Self.okHeaders, kind: .response)
        #expect(throws: GRPCCallError.self) { try noStatus.receiveHeaders([HTTP2HeaderField(name: "x", value: "y")], kind: .trailers) }
        #expect(noStatus.finish(errorCode: Self.noError, refusedByGoAway: false).failure?.code == .internal)
    }

    @Test("an oversized response message is RESOURCE_EXHAUSTED")
    func oversized() throws {
        var assembler = GRPCResponseAssembler(maximumMessageSize: 3)
        try assembler.receiveHeaders(Self.okHeaders, kind: .response)
        var data = ByteBuffer()
        GRPCMessageFraming.frame(ByteBuffer(string: "four"), into: &data)
        #expect(throws: GRPCCallError.self) { _ = try assembler.receiveData(data, allocator: ByteBufferAllocator()) }
        #expect(assembler.finish(errorCode: Self.noError, refusedByGoAway: false).failure?.code == .resourceExhausted)
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
