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
        guard let bodyField else {
            return try protobuf(fromJSON: json, message: message, options: options, bindings: bindings)
        }
        let plans = plans(for: options.apiVersion)
        guard let plan = plans.plan(named: message),
              let fieldPlan = plan.fields.first(where: { $0.layout.name == bodyField })
        else {
            throw GatewayError.internalError(cause: "JSON transcoding: no field \(bodyField) in \(message)")
        }
        let arena = Arena()
        let handle = MessageHandle.make(plan.layout, in: arena)
        let result: Result<Void, JSONTranscodeFailure> = json.withUnsafeReadableBytes { bytes in
            var reader = JSONReader(bytes: bytes, maxDepth: options.maxDepth)
            reader.skipWhitespace()
            if reader.offset == bytes.count { return .success(()) }
            var parser = JSONMessageParser(reader: reader, arena: arena, plans: plans, options: options)
            return Result { () throws(JSONTranscodeFailure) in try parser.parseFieldDocument(fieldPlan, into: handle) }
        }
        do {
            try result.get()
            var binder = JSONFieldBinder(arena: arena, plans: plans, options: options)
            try binder.apply(bindings, to: handle, plan: plan)
        } catch {
            throw GatewayError.invalidArgument(error.message)
        }
        var output = ByteBuffer()
        handle.pack(into: &output)
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
        guard let responseField else {
            return try json(fromProtobuf: protobuf, message: message, options: options)
        }
        let plans = plans(for: options.apiVersion)
        guard let plan = plans.plan(named: message),
              let fieldPlan = plan.fields.first(where: { $0.layout.name == responseField })
        else {
            throw GatewayError.internalError(cause: "JSON transcoding: no field \(responseField) in \(message)")
        }
        let arena = Arena()
        let handle: MessageHandle
        do {
            handle = try MessageHandle.unpack(protobuf, as: plan.layout, in: arena)
        } catch {
            throw error.gatewayError(source: .upstream)
        }
        var printer = JSONMessagePrinter(plans: plans, options: options, arena: arena)
        do {
            try printer.printFieldDocument(fieldPlan, handle)
        } catch {
            throw GatewayError(code: .internal, message: "the backend's reply cannot be written as JSON", source: .upstream, cause: error.message)
        }
        var output = ByteBuffer()
        output.writeBytes(printer.writer.bytes)
        return output
    }
}

extension JSONTranscoder {
    /// Whether a dotted field path (proto or JSON names of `apiVersion`) names a field of `message`
    /// through singular message fields, as a query parameter must.
    public func hasField(path: String, message: String, apiVersion: String?) -> Bool {
        let plans = plans(for: apiVersion)
        guard var plan = plans.plan(named: message) else { return false }
        let names = path.split(separator: ".", omittingEmptySubsequences: false)
        for (position, name) in names.enumerated() {
            guard let index = plan.inputFields[String(name)] else { return false }
            if position == names.count - 1 { return true }
            let fieldPlan = plan.fields[index]
            guard !fieldPlan.layout.isRepeated, let subPlan = fieldPlan.messagePlan else { return false }
            plan = plans.plans[subPlan]
        }
        return false
    }
}
