import PorticoCore
import Testing

@testable import PorticoHTTP2

@Suite("GRPCCallError as the gateway's error")
struct CallErrorTests {
    @Test("a backend status keeps its code and message and is the upstream's")
    func backendStatus() {
        let error = GRPCCallError(status: GRPCStatus(code: .notFound, message: "no such order"), kind: .status)
        let gatewayError = error.gatewayError
        #expect(gatewayError.code == .notFound)
        #expect(gatewayError.message == "no such order")
        #expect(gatewayError.source == .upstream)
        #expect(gatewayError.httpStatus == 404)
        #expect(!gatewayError.isRetryable)
    }

    @Test("a transport failure gets a generic message; the cause stays for the log")
    func transport() {
        let error = GRPCCallError.unavailable("upstream refused the stream", retryable: true, cause: "stream refused (code 7)")
        let gatewayError = error.gatewayError
        #expect(gatewayError.code == .unavailable)
        #expect(gatewayError.message == "upstream unavailable")
        #expect(gatewayError.source == .upstream)
        #expect(gatewayError.isRetryable)
        #expect(gatewayError.cause == "stream refused (code 7)")
        #expect(gatewayError.httpStatus == 503)
    }

    @Test("a deadline is the gateway's own error")
    func local() {
        let gatewayError = GRPCCallError.local(.deadlineExceeded, "deadline exceeded").gatewayError
        #expect(gatewayError.code == .deadlineExceeded)
        #expect(gatewayError.source == .gateway)
        #expect(gatewayError.httpStatus == 504)
    }
}
