import NIOCore
import PorticoCore
import PorticoHTTP2
import Tracing

extension EventLoopFuture {
    /// Ends a backend call's client span when the call finishes, with its gRPC status (`rpc.grpc.status_code`)
    /// and an error status for anything but `OK`.
    func endingCallSpan(_ span: (any Span)?) -> EventLoopFuture<Value> {
        guard let span else { return self }
        whenComplete { result in
            let code: GRPCStatusCode
            switch result {
            case .success:
                code = .ok
            case .failure(let error):
                code = (error as? GRPCCallError)?.code ?? .unknown
                span.setStatus(SpanStatus(code: .error, message: code.name))
            }
            span.attributes["rpc.grpc.status_code"] = code.rawValue
            span.end()
        }
        return self
    }
}
