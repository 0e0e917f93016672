import NIOCore
import PorticoCore
import Testing

@testable import PorticoHTTP2

@Suite("gRPC wire values: timeout, percent-encoding, base64, status tables, metadata")
struct WireFormatTests {
    @Test(
        "grpc-timeout picks the finest unit that fits in eight digits, rounding up",
        arguments: [
            (TimeAmount.nanoseconds(1), "1n"),
            (.nanoseconds(99_999_999), "99999999n"),
            (.milliseconds(100), "100000u"),
            (.seconds(2), "2000000u"),
            (.seconds(100), "100000m"),
            (.seconds(100_000), "100000S"),
            (.nanoseconds(1_500_000_001), "1500001u"),
            (.hours(30_000), "1800000M"),
            (.nanoseconds(0), "1n"),
        ]
    )
    func timeoutEncoding(amount: TimeAmount, expected: String) {
        #expect(GRPCTimeout.encode(amount) == expected)
    }

    @Test(
        "grpc-timeout parsing follows the grammar",
        arguments: [
            ("1n", TimeAmount.nanoseconds(1)), ("5u", .microseconds(5)), ("10m", .milliseconds(10)), ("3S", .seconds(3)),
            ("2M", .minutes(2)), ("1H", .hours(1)), ("99999999m", .milliseconds(99_999_999)),
        ]
    )
    func timeoutDecoding(value: String, expected: TimeAmount) {
        #expect(GRPCTimeout.decode(value) == expected)
    }

    @Test("grpc-timeout rejects malformed values", arguments: ["", "S", "10", "123456789S", "1x", "-1S", "1.5S", " 1S"])
    func timeoutRejects(value: String) {
        #expect(GRPCTimeout.decode(value) == nil)
    }

    @Test(
        "grpc-message percent-encoding",
        arguments: [
            ("plain text", "plain text"), ("100%", "100%25"), ("ü", "%C3%BC"), ("a\nb", "a%0Ab"), ("", ""),
        ]
    )
    func percentEncoding(text: String, wire: String) {
        #expect(GRPCPercentEncoding.encode(text) == wire)
        #expect(GRPCPercentEncoding.decode(wire) == text)
    }

    @Test("grpc-message decoding keeps malformed escapes", arguments: [("%", "%"), ("%4", "%4"), ("%zz", "%zz"), ("a%41", "aA")])
    func percentDecodingLenient(wire: String, text: String) {
        #expect(GRPCPercentEncoding.decode(wire) == text)
    }

    @Test(
        "base64 of binary metadata (unpadded out, padded or unpadded in)",
        arguments: [([UInt8](), ""), ([0], "AA"), ([0, 1], "AAE"), ([0, 1, 2], "AAEC"), ([255, 254, 253, 252], "//79/A")]
    )
    func base64(bytes: [UInt8], text: String) {
        #expect(Base64.encode(bytes) == text)
        #expect(Base64.decode(text) == bytes)
        let padded = text + String(repeating: "=", count: (4 - text.count % 4) % 4)
        #expect(Base64.decode(padded) == bytes)
    }

    @Test("base64 rejects what is not base64", arguments: ["A", "A*AA", "AA=A", "AAA==="])
    func base64Rejects(text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test(
        "HTTP status to gRPC code (http-grpc-status-mapping.md)",
        arguments: [
            (400, GRPCStatusCode.internal), (401, .unauthenticated), (403, .permissionDenied), (404, .unimplemented),
            (429, .unavailable), (502, .unavailable), (503, .unavailable), (504, .unavailable), (500, .unknown),
            (418, .unknown), (301, .unknown),
        ]
    )
    func httpStatusMapping(status: Int, code: GRPCStatusCode) {
        #expect(GRPCStatusMapping.fromHTTPStatus(status) == code)
    }

    @Test(
        "RST_STREAM codes to gRPC codes (PROTOCOL-HTTP2.md, Errors)",
        arguments: [
            (UInt32(0x0), GRPCStatusCode.internal), (0x1, .internal), (0x2, .internal), (0x3, .internal), (0x4, .internal),
            (0x6, .internal), (0x7, .unavailable), (0x8, .cancelled), (0x9, .internal), (0xA, .internal),
            (0xB, .resourceExhausted), (0xC, .permissionDenied),
        ]
    )
    func resetCodeMapping(errorCode: UInt32, code: GRPCStatusCode) {
        #expect(GRPCStatusMapping.fromResetCode(errorCode) == code)
    }

    @Test("metadata on the wire: -bin values in base64, reserved and invalid entries left out")
    func metadataWire() {
        var metadata: GRPCMetadata = ["X-User": "ada", "content-type": "text/plain", "grpc-status": "0", "bad name": "x"]
        metadata.add("x-key-bin", binary: [1, 2, 3])
        metadata.add("x-text", "line\nbreak")
        metadata.add("x-binary", binary: [1])
        #expect(metadata.wireFields == [
            HTTP2HeaderField(name: "x-user", value: "ada"),
            HTTP2HeaderField(name: "x-key-bin", value: "AQID"),
        ])
        let received = GRPCMetadata(wireFields: [
            HTTP2HeaderField(name: ":status", value: "200"),
            HTTP2HeaderField(name: "content-type", value: "application/grpc"),
            HTTP2HeaderField(name: "x-key-bin", value: "AQID, BAU="),
            HTTP2HeaderField(name: "x-user", value: "ada"),
        ])
        #expect(received.entries.map(\.name) == ["x-key-bin", "x-key-bin", "x-user"])
        #expect(received.binary("x-key-bin") == [1, 2, 3])
        #expect(received.entries[1].value == .binary([4, 5]))
        #expect(received["x-user"] == "ada")
    }

    @Test("request headers: pseudo-headers first, then the gRPC fields and metadata")
    func requestHead() {
        let fields = GRPCRequestHead.fields(
            path: "/pkg.Service/Method",
            authority: "backend:50051",
            userAgent: "portico-grpc/0.1",
            timeout: .milliseconds(250),
            metadata: ["x-request-id": "42"]
        )
        #expect(fields.map { "\($0.name): \($0.value)" } == [
            ":method: POST", ":scheme: http", ":path: /pkg.Service/Method", ":authority: backend:50051",
            "content-type: application/grpc", "te: trailers", "grpc-timeout: 250000u",
            "grpc-accept-encoding: identity, deflate, gzip", "user-agent: portico-grpc/0.1", "x-request-id: 42",
        ])
    }
}
