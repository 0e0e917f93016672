import PorticoCodec

/// A route's request and response messages in one API version's names, resolved when the route is compiled.
package struct RouteVersionPlan: Sendable {
    /// The request message, or its `body` field when the body is JSON bound to one field.
    package var request: JSONTranscoder.ResolvedMessage
    /// The response message, or its `response_body` field.
    package var response: JSONTranscoder.ResolvedMessage
    /// The fields the path variables set, in template order (the order of a match's bindings).
    package var pathVariables: [JSONTranscoder.ResolvedFieldPath]
}
