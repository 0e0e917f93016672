import NIOCore
import NIOHTTP1
import PorticoCore

/// What a request stage decided.
enum StageOutcome {
    /// Go on to the next stage.
    case proceed
    /// Answer the request with this error; the later stages do not run.
    case answer(GatewayError)
    /// Go on when the future succeeds (on the request's event loop); its failure answers the request.
    case wait(EventLoopFuture<Void>)
    /// Answer the request now with this status, headers and body (a CORS preflight, a cached answer).
    case reply(HTTPResponseStatus, headers: [(String, String)], body: ByteBuffer = ByteBuffer(), contentType: String? = nil)
    /// Run the same stage again when the future completes (a cache miss waiting for the call in flight).
    case retry(after: EventLoopFuture<Void>)
}

/// One step of the request side of the pipeline: it reads the request and what earlier stages found in the
/// ``RequestContext``, adds what it finds, and says whether the request goes on.
///
/// The stages and their order are listed in one place, ``GatewayPipeline/requestStages``; a new concern
/// (CORS, a cache lookup, metrics, tracing) is a new stage there. After the last stage the backend is called,
/// and the response side (``ResponseTranscoding``) writes the answer.
protocol RequestStage: Sendable {
    /// The name of the span event a traced request gets when the stage lets it go on (`portico.authentication`).
    var eventName: String { get }

    func process(_ context: RequestContext) -> StageOutcome
}
