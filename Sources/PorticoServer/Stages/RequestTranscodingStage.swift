import CoreMetrics
import NIOCore
import PorticoCore
import PorticoRouting

/// Builds the backend's request message from the body, the path variables and the query parameters
/// (``RequestTranscoding``; 400, 413 and 415 for what the route cannot take); for a client stream read as it
/// arrives, how each of its messages will be built. A composite route builds its
/// parts' requests when it calls them (``CompositeExecution``).
struct RequestTranscodingStage: RequestStage {
    let eventName = "portico.request_transcoding"

    func process(_ context: RequestContext) -> StageOutcome {
        guard let matched = context.matched, let version = context.exchange.version else {
            return .answer(.internalError(cause: "request transcoding ran before the route match"))
        }
        if matched.route.value.composite != nil { return .proceed }
        do {
            let started = NIODeadline.now()
            let transcoding = RequestTranscoding(snapshot: context.exchange.snapshot, version: version)
            if context.request.bodyStream != nil {
                context.pieceEncoder = try transcoding.pieceEncoder(for: context.request, matched: matched)
                return .proceed
            }
            context.messages = matched.route.value.target.clientStreaming
                ? try transcoding.messages(for: context.request, matched: matched)
                : [try transcoding.protobuf(for: context.request, matched: matched)]
            context.gateway.metrics.requestTranscoding.recordNanoseconds((NIODeadline.now() - started).nanoseconds)
            return .proceed
        } catch {
            return .answer(error)
        }
    }
}
