import PorticoRouting
import PorticoSchema

/// Where a route carries `google.api.HttpBody` (raw bytes with their content type) instead of JSON.
///
/// As a request, the client's body and `Content-Type` become the HttpBody: the whole request message with
/// `body: "*"`, or the rule's body field when that field is an HttpBody. As a response (the whole response
/// message, or its `response_body` field), the client gets the `data` bytes with the `content_type`.
package struct HttpBodyMapping: Sendable, Hashable {
    /// The full name of the message.
    package static let typeName = "google.api.HttpBody"

    /// Which part of the request message the raw body fills.
    package enum Request: Sendable, Hashable {
        /// The request message is an HttpBody.
        case wholeMessage
        /// The body field, with this number, is an HttpBody; path and query fill the other fields.
        case field(number: Int32)
    }

    /// Where the raw request body goes; `nil` when the body is JSON.
    package var request: Request?
    /// Whether the response body is an HttpBody's bytes.
    package var response: Bool

    /// The mapping of `target`'s messages in `schema`.
    package init(target: RouteTarget, schema: SchemaPool) {
        switch target.body {
        case .none:
            request = nil
        case .wholeMessage:
            request = target.inputType == Self.typeName ? .wholeMessage : nil
        case .field(let name):
            let field = schema.messages[target.inputType]?.fields.first { $0.name == name }
            request = field.flatMap { $0.typeName == Self.typeName && !$0.isRepeated ? .field(number: $0.number) : nil }
        }
        if let name = target.responseBody {
            let field = schema.messages[target.outputType]?.fields.first { $0.name == name }
            response = field?.typeName == Self.typeName && field?.isRepeated == false
        } else {
            response = target.outputType == Self.typeName
        }
    }
}
