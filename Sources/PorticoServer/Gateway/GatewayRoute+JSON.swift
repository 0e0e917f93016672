import PorticoCodec
import PorticoConfig

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
}
