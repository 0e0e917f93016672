import NIOCore
import PorticoCodec
import PorticoConfig
import PorticoCore
import PorticoRouting

extension GatewayRoute {
    /// The transcoder's options for this route in `version`: the route's `json:` settings and the version's
    /// names.
    func jsonOptions(version: APIVersion?, maxDepth: Int = 100) -> JSONTranscoder.Options {
        JSONTranscoder.Options(
            emitUnpopulatedFields: json.emitUnpopulated,
            enumsAsNumbers: json.enumsAsNumbers,
            useProtoFieldNames: json.useProtoNames,
            ignoreUnknownFields: json.ignoreUnknownFields,
            apiVersion: version?.name,
            maxDepth: maxDepth
        )
    }

    /// The route's messages in `version`.
    ///
    /// - Throws: `INTERNAL` when the route was compiled without them (it never is in a served snapshot).
    func plan(for version: APIVersion?) throws(GatewayError) -> RouteVersionPlan {
        let index = version?.index ?? 0
        guard versionPlans.indices.contains(index) else {
            throw .internalError(cause: "route \(target.selector) has no plan for API version index \(index)")
        }
        return versionPlans[index]
    }

    /// Writes a backend's reply in the version's names, allocating in this thread's arena.
    func responseJSON(_ reply: ByteBuffer, version: APIVersion?, transcoder: JSONTranscoder) throws(GatewayError) -> ByteBuffer {
        let plan = try plan(for: version)
        let options = jsonOptions(version: version)
        return try ThreadArena.withArena { arena throws(GatewayError) in
            var output = ByteBuffer()
            try transcoder.json(fromProtobuf: reply, resolved: plan.response, options: options, arena: arena, into: &output)
            return output
        }
    }
}
