public import NIOCore
public import PorticoCore

extension JSONTranscoder {
    /// Builds a request message the way an HttpRule binds it: the JSON body is the whole message
    /// (`bodyField` `nil`) or the value of one top-level field (`body: "field"`), then `bindings` from the
    /// path and query are applied on top, and the message is encoded.
    ///
    /// - Throws: `INVALID_ARGUMENT` with the JSON path for a body or binding the message cannot take;
    ///   `INTERNAL` when the message or field is not in the schema (the route compiler rules that out).
    public func protobuf(
        fromJSON json: ByteBuffer,
        message: String,
        bodyField: String?,
        options: Options = Options(),
        bindings: [FieldBinding] = []
    ) throws(GatewayError) -> ByteBuffer {
        var output = ByteBuffer()
        try protobuf(
            fromJSON: json, message: message, bodyField: bodyField, options: options, bindings: bindings,
            arena: Arena(), into: &output
        )
        return output
    }

    /// Decodes a response message and writes it as JSON: the whole message (`responseField` `nil`) or the
    /// value of one top-level field, as `response_body` asks.
    ///
    /// - Throws: `INTERNAL` (source upstream) when the bytes are not a valid message or hold a value JSON
    ///   cannot carry; the client sees a generic message, the log gets the reason.
    public func json(
        fromProtobuf protobuf: ByteBuffer,
        message: String,
        responseField: String?,
        options: Options = Options()
    ) throws(GatewayError) -> ByteBuffer {
        var output = ByteBuffer()
        try json(fromProtobuf: protobuf, message: message, responseField: responseField, options: options, arena: Arena(), into: &output)
        return output
    }

    /// The plan of `message` and, when `field` is given, of that top-level field (by proto name).
    static func plan(of message: String, field: String?, in plans: JSONVersionPlans) throws(GatewayError) -> (JSONMessagePlan, JSONFieldPlan?) {
        guard let plan = plans.plan(named: message) else {
            throw GatewayError.internalError(cause: "JSON transcoding: no message \(message) in the schema")
        }
        guard let field else { return (plan, nil) }
        guard let fieldPlan = plan.fields.first(where: { $0.layout.name == field }) else {
            throw GatewayError.internalError(cause: "JSON transcoding: no field \(field) in \(message)")
        }
        return (plan, fieldPlan)
    }
}
