import NIOCore
import PorticoCodec

/// A compiled composite route: its parts, the order they may run in, and the query parameters they read.
///
/// Everything is resolved when the route compiles (methods, backends, field paths per API version); a
/// request only reads.
package struct CompositePlan: Sendable {
    /// The route's name from the mapping file (`dashboard`).
    package var name: String
    /// The parts, in the order the answer lists them.
    package var parts: [CompositePartPlan]
    /// The query parameters some part reads; any other is answered 400.
    package var queryParameters: Set<String>
}

/// One backend call of a composite route.
package struct CompositePartPlan: Sendable {
    /// Its key in the answer.
    package var name: String
    /// The method (`demo.users.v1.UserService.GetUser`) and its gRPC `:path`.
    package var selector: String
    package var grpcPath: String
    /// The response message's full name.
    package var outputType: String
    /// The top-level response field answered instead of the whole message (`response_field`).
    package var responseField: String?
    /// The backend that serves the method, an index into ``GatewaySnapshot/backends``.
    package var backendIndex: Int
    /// The request message, whose fields the bindings set.
    package var request: JSONTranscoder.ResolvedMessage
    /// The answer in each API version's names (and only `response_field` when set), by ``APIVersion/index``.
    package var responses: [JSONTranscoder.ResolvedMessage]
    /// What fills the request.
    package var bindings: [CompositeBinding]
    /// Whether the route fails when this part fails, instead of answering `null` and an `errors` entry.
    package var required: Bool
    /// The part's timeout; the route's deadline still cuts it.
    package var timeout: TimeAmount
    /// Whether a failed call may be sent again.
    package var idempotent: Bool
    /// Whether clients see the backend's own messages of hidden codes (its `expose_errors`).
    package var exposeErrors: Bool
    /// The parts whose answers this part reads; it starts when they have all answered.
    package var dependencies: [Int]
}

/// A field of a part's request and where its value comes from.
package struct CompositeBinding: Sendable {
    /// Where a bound value comes from.
    package enum Source: Sendable, Hashable {
        /// A variable of the route's path template, by its name.
        case pathVariable(String)
        /// A query parameter; unset when the request has none.
        case query(String)
        /// The authenticated caller's subject, client id or plan; unset without a caller.
        case claim(CompositeClaim)
        /// A constant from the mapping file.
        case constant(String)
        /// A field of an earlier part's answer, by proto names; unset when the answer does not hold it.
        case answer(part: Int, path: [String])
    }

    /// The request field, as written (`user_id`).
    package var field: String
    /// The field resolved in the request message.
    package var resolvedField: JSONTranscoder.ResolvedFieldPath
    package var source: Source
}

/// What a composite route may read of the authenticated caller.
package enum CompositeClaim: String, Sendable, Hashable, CaseIterable {
    /// The token's `sub`, or the API key's client id.
    case sub
    /// The token's `client_id` (or `azp`), or the API key's client id.
    case clientID = "client_id"
    /// The API key's plan, or the token's `plan` claim.
    case plan
}
