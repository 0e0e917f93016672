import NIOCore
import PorticoCodec
import PorticoCore
import PorticoHTTP2
import Tracing

/// The answer of a composite request: one JSON object with each part's answer under its name (`null` for
/// an optional part that failed or was cut by the deadline) and an `errors` list when some part failed.
struct CompositeAnswer: Sendable {
    var body: ByteBuffer
    /// `part: reason` for each failed optional part, for the access log.
    var partErrors: [String]
}

/// Runs one request of a composite route on its event loop.
///
/// Parts that read no other part's answer start at once, in parallel; a part that reads answers starts when
/// those have all come back, and is skipped (`FAILED_PRECONDITION`) when one of them failed. Each call goes
/// through its backend's guard (breaker, retries) with its own deadline: the part's timeout, never past the
/// route's deadline (the client's shorter one included). At the route's deadline every part still waiting or
/// running is cut (`DEADLINE_EXCEEDED`). A failed required part fails the whole request with its status and
/// cancels the other calls; the client going away cancels them too.
final class CompositeExecution {
    /// What one request gives the execution.
    struct Request {
        let plan: CompositePlan
        let route: GatewayRoute
        let gateway: ActiveGateway
        let version: APIVersion
        let deadline: ClientDeadline
        let metadata: GRPCMetadata
        let inputs: CompositeInputs
        let tracer: RequestTracer
        let trace: RequestTrace?
        let requestID: String
        let maxDepth: Int
    }

    private enum PartState {
        case waiting
        case running(GRPCCall<GRPCUnaryResponse>?)
        case answered(reply: ByteBuffer, json: ByteBuffer)
        case failed(GatewayError)
    }

    private let request: Request
    private let eventLoop: any EventLoop
    private let promise: EventLoopPromise<CompositeAnswer>
    private var states: [PartState]
    private var decoded: [Int: ProtoMessage] = [:]
    /// The requests of the parts that read no answer, built before any call.
    private var prebuilt: [ByteBuffer?]
    private var deadlineTask: Scheduled<Void>?
    private var isOver = false

    private init(request: Request, eventLoop: any EventLoop) {
        self.request = request
        self.eventLoop = eventLoop
        promise = eventLoop.makePromise()
        states = Array(repeating: .waiting, count: request.plan.parts.count)
        prebuilt = Array(repeating: nil, count: request.plan.parts.count)
    }

    /// Starts the parts; the future fails with a ``GatewayError`` only. Call on `eventLoop`.
    ///
    /// The requests of the parts that read only the client's values and constants are built first: a value
    /// the client sent that its field cannot take (`?category=BAD`) is answered 400 before any call.
    static func run(_ request: Request, cancellation: RequestCancellation, on eventLoop: any EventLoop) -> EventLoopFuture<CompositeAnswer> {
        let execution = CompositeExecution(request: request, eventLoop: eventLoop)
        for (index, part) in request.plan.parts.enumerated() where part.dependencies.isEmpty {
            do {
                execution.prebuilt[index] = try execution.requestMessage(for: part)
            } catch {
                execution.isOver = true
                execution.promise.fail(error)
                return execution.promise.futureResult
            }
        }
        let bound = NIOLoopBound(execution, eventLoop: eventLoop)
        execution.deadlineTask = eventLoop.assumeIsolated().scheduleTask(deadline: request.deadline.deadline) {
            bound.value.cutAtDeadline()
        }
        cancellation.onCancel(CompositeCancellation(execution: bound))
        execution.advance()
        return execution.promise.futureResult
    }

    /// Starts every waiting part whose answers are in, skips those that read a failed part, and answers when
    /// every part is over.
    private func advance() {
        var changed = true
        while changed, !isOver {
            changed = false
            for index in states.indices {
                guard case .waiting = states[index] else { continue }
                let part = request.plan.parts[index]
                if let failed = part.dependencies.first(where: { if case .failed = states[$0] { true } else { false } }) {
                    states[index] = .failed(GatewayError(
                        code: .failedPrecondition, message: "not called: part \"\(request.plan.parts[failed].name)\" failed", source: .gateway
                    ))
                    changed = true
                    continue
                }
                guard part.dependencies.allSatisfy({ if case .answered = states[$0] { true } else { false } }) else { continue }
                start(index)
                changed = true
            }
        }
        guard !isOver, states.allSatisfy({ if case .answered = $0 { true } else if case .failed = $0 { true } else { false } }) else { return }
        finish()
    }

    private func start(_ index: Int) {
        let part = request.plan.parts[index]
        let message: ByteBuffer
        if let built = prebuilt[index] {
            message = built
        } else {
            do {
                message = try requestMessage(for: part)
            } catch {
                fail(part: index, error)
                return
            }
        }
        states[index] = .running(nil)
        let overall = request.deadline
        let partDeadline = min(overall.deadline, NIODeadline.now() + part.timeout)
        let deadline = ClientDeadline(deadline: partDeadline, isShortenedByClient: overall.isShortenedByClient && partDeadline == overall.deadline)
        let cluster = request.gateway.clusters[part.backendIndex]
        let pick = UpstreamPick(hashKey: nil, tried: cluster.isBalanced ? TriedEndpoints() : nil)
        let guarded = request.gateway.guards[part.backendIndex]
        let (metadata, tracer, trace, eventLoop) = (request.metadata, request.tracer, request.trace, eventLoop)
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        guarded.call(idempotent: part.idempotent, deadline: deadline, forwarder: request.gateway.snapshot.forwarder, on: eventLoop) {
            var attemptMetadata = metadata
            let span = tracer.startCall(trace, rpc: part.grpcPath, backend: guarded.name, metadata: &attemptMetadata)
            let options = GRPCCallOptions(deadline: partDeadline, metadata: attemptMetadata)
            let call = cluster.unary(part.grpcPath, requests: [message], options: options, on: eventLoop, pick: pick)
            bound.value.running(index, call: call)
            return call.response.endingCallSpan(span)
        }
        .assumeIsolated()
        .whenComplete { result in
            switch result {
            case .success(let reply): bound.value.answered(index, reply: reply.message)
            case .failure(let error): bound.value.fail(part: index, GatewayError(error))
            }
        }
    }

    /// The part's request: each binding's values on an empty message.
    private func requestMessage(for part: CompositePartPlan) throws(GatewayError) -> ByteBuffer {
        var bindings: [JSONTranscoder.FieldBinding] = []
        for binding in part.bindings {
            let values = request.inputs.values(of: binding.source) { self.answer(of: $0) }
            for value in values {
                bindings.append(JSONTranscoder.FieldBinding(path: binding.field, value: value, resolvedPath: binding.resolvedField))
            }
        }
        let transcoder = request.gateway.snapshot.transcoder
        return try ThreadArena.withArena { arena throws(GatewayError) in
            var output = ByteBuffer()
            try transcoder.protobuf(fromJSON: ByteBuffer(), resolved: part.request, options: .init(), bindings: bindings, arena: arena, into: &output)
            return output
        }
    }

    /// A part's answer decoded, for the parts that read it; decoded once.
    private func answer(of index: Int) -> ProtoMessage? {
        if let message = decoded[index] { return message }
        guard case .answered(let reply, _) = states[index] else { return nil }
        let codec = MessageCodec(pool: request.gateway.snapshot.descriptors)
        let message = try? codec.decode(reply, as: request.plan.parts[index].outputType)
        decoded[index] = message
        return message
    }

    private func running(_ index: Int, call: GRPCCall<GRPCUnaryResponse>) {
        guard !isOver, case .running = states[index] else {
            call.cancel()
            return
        }
        states[index] = .running(call)
    }

    private func answered(_ index: Int, reply: ByteBuffer) {
        guard !isOver, case .running = states[index] else { return }
        let part = request.plan.parts[index]
        let transcoder = request.gateway.snapshot.transcoder
        let options = request.route.jsonOptions(version: request.version, maxDepth: request.maxDepth)
        let response = part.responses[min(request.version.index, part.responses.count - 1)]
        do {
            let json = try ThreadArena.withArena { arena throws(GatewayError) in
                var output = ByteBuffer()
                try transcoder.json(fromProtobuf: reply, resolved: response, options: options, arena: arena, into: &output)
                return output
            }
            states[index] = .answered(reply: reply, json: json)
            advance()
        } catch {
            fail(part: index, error)
        }
    }

    /// A part failed: the request fails when the part is required, else the part answers `null`.
    private func fail(part index: Int, _ error: GatewayError) {
        guard !isOver else { return }
        switch states[index] {
        case .answered, .failed: return
        case .waiting, .running: break
        }
        let part = request.plan.parts[index]
        let safe = clientError(error, part: part)
        states[index] = .failed(safe)
        if part.required {
            end()
            promise.fail(safe)
        } else {
            advance()
        }
    }

    /// The route's deadline: every part not over yet is cut.
    private func cutAtDeadline() {
        guard !isOver else { return }
        for index in states.indices {
            switch states[index] {
            case .waiting, .running:
                let cut = GatewayError(
                    code: .deadlineExceeded, message: "part \"\(request.plan.parts[index].name)\" did not answer within the route's deadline",
                    source: .gateway
                )
                let call: GRPCCall<GRPCUnaryResponse>? = if case .running(let running) = states[index] { running } else { nil }
                fail(part: index, cut)
                call?.cancel()
            case .answered, .failed:
                continue
            }
        }
    }

    /// The client went away: every call still running stops.
    fileprivate func cancelAll() {
        guard !isOver else { return }
        end()
        promise.fail(GatewayError(code: .cancelled, message: "the client closed the connection", source: .client))
    }

    private func end() {
        isOver = true
        deadlineTask?.cancel()
        for state in states {
            if case .running(let call?) = state { call.cancel() }
        }
    }

    private func finish() {
        end()
        var body = ByteBuffer()
        body.writeStaticString("{")
        var errors: [(String, GatewayError)] = []
        for (index, part) in request.plan.parts.enumerated() {
            if index > 0 { body.writeStaticString(",") }
            body.writeString("\"\(part.name)\":")
            switch states[index] {
            case .answered(_, var json):
                body.writeBuffer(&json)
            case .failed(let error):
                body.writeStaticString("null")
                errors.append((part.name, error))
            case .waiting, .running:
                body.writeStaticString("null")
            }
        }
        if !errors.isEmpty {
            body.writeStaticString(",\"errors\":[")
            for (position, (name, error)) in errors.enumerated() {
                if position > 0 { body.writeStaticString(",") }
                var status = ErrorBody.render(error, transcoder: request.gateway.snapshot.transcoder)
                body.writeString("{\"part\":\"\(name)\",\"status\":")
                body.writeBuffer(&status)
                body.writeStaticString("}")
            }
            body.writeStaticString("]")
        }
        body.writeStaticString("}")
        promise.succeed(CompositeAnswer(body: body, partErrors: errors.map { "\($0.0): \($0.1.description)" }))
    }

    /// What a client may see of a part's error: the backend's hidden messages and debug details are replaced
    /// unless its mapping exposes them.
    private func clientError(_ error: GatewayError, part: CompositePartPlan) -> GatewayError {
        let exposure = UpstreamErrorExposure(exposes: part.exposeErrors, requestID: request.requestID)
        var safe = exposure.clientError(error)
        let codec = MessageCodec(pool: request.gateway.snapshot.descriptors)
        safe.statusDetails = safe.statusDetails.flatMap { exposure.clientDetails($0, error: safe, codec: codec) }
        return safe
    }
}

/// Stops a composite request's calls when its client goes away.
private struct CompositeCancellation: CancellableWork {
    let execution: NIOLoopBound<CompositeExecution>

    func cancel() {
        execution.eventLoop.execute { execution.value.cancelAll() }
    }
}
