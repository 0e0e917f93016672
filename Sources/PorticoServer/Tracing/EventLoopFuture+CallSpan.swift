import NIOCore
import PorticoCore
import PorticoHTTP2
import Tracing

extension EventLoopFuture {
    /// Ends a backend call's client span when the call finishes (``CallSpan/end(_:failure:)``).
    func endingCallSpan(_ span: (any Span)?) -> EventLoopFuture<Value> {
        guard let span else { return self }
        whenComplete { result in CallSpan.end(span, failure: result.failure) }
        return self
    }
}

/// How a backend call's client span ends.
enum CallSpan {
    /// Ends `span` with the call's gRPC status (`rpc.grpc.status_code`), and an error status for anything but
    /// `OK`; `failure` is `nil` when the call succeeded.
    static func end(_ span: any Span, failure: (any Error)?) {
        let code: GRPCStatusCode
        if let failure {
            code = (failure as? GRPCCallError)?.code ?? .unknown
            span.setStatus(SpanStatus(code: .error, message: code.name))
        } else {
            code = .ok
        }
        span.attributes["rpc.grpc.status_code"] = code.rawValue
        span.end()
    }
}
