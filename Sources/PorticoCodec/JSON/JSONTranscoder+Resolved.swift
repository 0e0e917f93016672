import NIOCore
import PorticoCore

extension JSONTranscoder {
    /// A message in one API version's names, and optionally one of its top-level fields (an HttpRule's `body`
    /// or `response_body`), looked up once when routes are compiled so that a request looks nothing up by
    /// name.
    package struct ResolvedMessage: Sendable {
        let plans: JSONVersionPlans
        let plan: JSONMessagePlan
        let field: JSONFieldPlan?

        /// The message's full name.
        package var messageName: String { plan.layout.fullName }
    }

    /// A field path of a message resolved to the fields' positions (a path variable's, when the route compiles;
    /// a query parameter's, once per request).
    package struct ResolvedFieldPath: Sendable, Hashable {
        let positions: [Int]
        /// The path in proto field names, whichever names it was given in.
        package let protoNames: [String]
    }

    /// Resolves a field path (proto names or the version's JSON names) of `message`'s whole message: every
    /// step but the last must be a singular message field, the last not a map.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the path and the problem.
    package func resolveFieldPath(_ names: [String], in message: ResolvedMessage) throws(GatewayError) -> ResolvedFieldPath {
        let path = names.joined(separator: ".")
        var plan = message.plan
        var positions: [Int] = []
        var protoNames: [String] = []
        positions.reserveCapacity(names.count)
        protoNames.reserveCapacity(names.count)
        for (step, name) in names.enumerated() {
            guard let index = plan.inputFields[name] else {
                throw GatewayError.invalidArgument("unknown field \"\(path)\"")
            }
            positions.append(index)
            let fieldPlan = plan.fields[index]
            protoNames.append(fieldPlan.layout.name)
            if step == names.count - 1 {
                if fieldPlan.layout.isMap {
                    throw GatewayError.invalidArgument("\(path): a map field cannot be bound to a single value")
                }
                break
            }
            guard !fieldPlan.layout.isRepeated, case .message = fieldPlan.valueKind, let next = fieldPlan.messagePlan else {
                throw GatewayError.invalidArgument("\(path): \"\(name)\" is not a singular message field")
            }
            plan = message.plans.plans[next]
        }
        return ResolvedFieldPath(positions: positions, protoNames: protoNames)
    }

    /// Resolves `message`, and its top-level `field` (proto name) when given, in `apiVersion`'s names (the
    /// default version's when `nil`).
    ///
    /// - Throws: `INTERNAL` when the message or field is not in the schema.
    package func resolve(_ message: String, field: String? = nil, apiVersion: String? = nil) throws(GatewayError) -> ResolvedMessage {
        let plans = plans(for: apiVersion)
        let (plan, fieldPlan) = try Self.plan(of: message, field: field, in: plans)
        return ResolvedMessage(plans: plans, plan: plan, field: fieldPlan)
    }

    /// Reads a JSON body as a resolved message (its field when the resolution names one), applies `bindings`
    /// on top and appends the encoding to `output`, allocating in `arena`. An empty body gives an empty message.
    ///
    /// - Throws: `INVALID_ARGUMENT` with the JSON path for a body or binding the message cannot take.
    package func protobuf(
        fromJSON json: ByteBuffer,
        resolved: ResolvedMessage,
        options: Options,
        bindings: [FieldBinding],
        arena: Arena,
        into output: inout ByteBuffer
    ) throws(GatewayError) {
        let handle = MessageHandle.make(resolved.plan.layout, in: arena)
        let result: Result<Void, JSONTranscodeFailure> = json.withUnsafeReadableBytes { bytes in
            var reader = JSONReader(bytes: bytes, maxDepth: options.effectiveMaxDepth)
            reader.skipWhitespace()
            if reader.offset == bytes.count { return .success(()) }
            var parser = JSONMessageParser(reader: reader, arena: arena, plans: resolved.plans, options: options)
            return Result { () throws(JSONTranscodeFailure) in
                if let field = resolved.field {
                    try parser.parseFieldDocument(field, into: handle)
                } else {
                    try parser.parseDocument(into: handle, plan: resolved.plan)
                }
            }
        }
        do {
            try result.get()
            var binder = JSONFieldBinder(arena: arena, plans: resolved.plans, options: options)
            try binder.apply(bindings, to: handle, plan: resolved.plan)
        } catch {
            throw GatewayError.invalidArgument(error.message)
        }
        handle.pack(into: &output)
    }

    /// Decodes a protobuf message as a resolved message and appends it as JSON to `output` (only the resolved
    /// field's value when the resolution names one), allocating in `arena`.
    ///
    /// - Throws: `INTERNAL` (source upstream) when the bytes are not a valid message or hold a value JSON
    ///   cannot carry; the client sees a generic message, the log gets the path and reason.
    package func json(
        fromProtobuf protobuf: ByteBuffer,
        resolved: ResolvedMessage,
        options: Options,
        arena: Arena,
        into output: inout ByteBuffer
    ) throws(GatewayError) {
        let handle: MessageHandle
        do {
            handle = try MessageHandle.unpack(protobuf, as: resolved.plan.layout, in: arena, limits: WireLimits(maxDepth: options.effectiveMaxDepth))
        } catch {
            throw error.gatewayError(source: .upstream)
        }
        // JSON is about twice the protobuf size for typical messages: reserving a bit more up front saves
        // regrowing (and copying) the buffer.
        let capacity = protobuf.readableBytes * 5 / 2 + 256
        var printer = JSONMessagePrinter(plans: resolved.plans, options: options, arena: arena, capacity: capacity)
        do {
            if let field = resolved.field {
                try printer.printFieldDocument(field, handle)
            } else {
                try printer.printDocument(handle, plan: resolved.plan)
            }
        } catch {
            throw GatewayError(
                code: .internal,
                message: "the backend's reply cannot be written as JSON",
                source: .upstream,
                cause: error.message
            )
        }
        _ = printer.writer.withBytes { output.writeBytes($0) }
    }
}
