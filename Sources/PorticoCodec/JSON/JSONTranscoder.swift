public import NIOCore
public import PorticoCore
import PorticoSchema

/// Transcodes between JSON (the proto3 JSON mapping) and protobuf, for every message of one schema.
///
/// Built once per schema snapshot: it resolves every message's JSON view for every API version up front,
/// so a call only reads. JSON is read straight into the protobuf-c struct in a per-call arena and packed;
/// protobuf is unpacked into the arena and written as JSON. Safe to share across event loops.
public final class JSONTranscoder: Sendable {
    /// Per-call choices, as protobuf's JSON printers and parsers name them.
    public struct Options: Sendable, Hashable {
        /// Write fields without presence (implicit scalars, lists, maps) even when they hold the default.
        public var emitUnpopulatedFields: Bool
        /// Write enum values as numbers instead of names.
        public var enumsAsNumbers: Bool
        /// Write proto field names (`order_items`) instead of the version's JSON names.
        public var useProtoFieldNames: Bool
        /// Skip unknown JSON fields and unknown enum names instead of rejecting them.
        public var ignoreUnknownFields: Bool
        /// Indent the output by two spaces per level.
        public var prettyOutput: Bool
        /// The API version whose name table applies; `nil` for the default version.
        public var apiVersion: String?
        /// The deepest nesting of JSON objects and arrays accepted on input, and of messages unpacked for
        /// output (at most 1,000, so recursion stays far from the stack's end).
        public var maxDepth: Int

        /// Options; the defaults are strict input and compact output in the default version.
        public init(
            emitUnpopulatedFields: Bool = false,
            enumsAsNumbers: Bool = false,
            useProtoFieldNames: Bool = false,
            ignoreUnknownFields: Bool = false,
            prettyOutput: Bool = false,
            apiVersion: String? = nil,
            maxDepth: Int = 100
        ) {
            self.emitUnpopulatedFields = emitUnpopulatedFields
            self.enumsAsNumbers = enumsAsNumbers
            self.useProtoFieldNames = useProtoFieldNames
            self.ignoreUnknownFields = ignoreUnknownFields
            self.prettyOutput = prettyOutput
            self.apiVersion = apiVersion
            self.maxDepth = maxDepth
        }
    }

    /// A value for a (dotted) field path, from an HttpRule path variable or a query parameter.
    public struct FieldBinding: Sendable, Hashable {
        /// `sub.subfield`, by proto names or the version's JSON names.
        public var path: String
        /// The value in its string form (`"2"`, `"FOO"`, `"1.5s"`, base64 for bytes).
        public var value: String
        /// Whether the value comes from the URL path: then the body must not have set the field.
        public var isPathVariable: Bool
        /// `path` resolved when the route compiled (``JSONTranscoder/resolveFieldPath(_:in:)``); the binding
        /// then looks no field up by name.
        package var resolvedPath: ResolvedFieldPath?

        /// A binding of `value` to the field at `path`.
        public init(path: String, value: String, isPathVariable: Bool = false) {
            self.init(path: path, value: value, isPathVariable: isPathVariable, resolvedPath: nil)
        }

        /// A binding whose path the route resolved when it compiled.
        package init(path: String, value: String, isPathVariable: Bool = false, resolvedPath: ResolvedFieldPath?) {
            self.path = path
            self.value = value
            self.isPathVariable = isPathVariable
            self.resolvedPath = resolvedPath
        }
    }

    /// The protobuf-c layouts of the schema.
    public let descriptors: DescriptorPool
    /// The JSON names per API version.
    public let names: JSONNameTables
    private let defaultPlans: JSONVersionPlans
    private let versionPlans: [String: JSONVersionPlans]

    /// A transcoder for every message of `descriptors`, with the JSON names of `names`.
    public init(descriptors: DescriptorPool, names: JSONNameTables) {
        self.descriptors = descriptors
        self.names = names
        let builder = JSONPlanBuilder(descriptors: descriptors, names: names)
        defaultPlans = builder.build(version: names.defaultVersion)
        var versions: [String: JSONVersionPlans] = [:]
        for version in names.versions where version != names.defaultVersion {
            versions[version] = builder.build(version: version)
        }
        versionPlans = versions
    }

    /// A transcoder with the proto3 JSON names only (no renamed versions).
    public convenience init(descriptors: DescriptorPool) throws {
        self.init(descriptors: descriptors, names: try JSONNameTables(pool: descriptors.schema, defaultVersion: ""))
    }

    func plans(for version: String?) -> JSONVersionPlans {
        version.flatMap { versionPlans[$0] } ?? defaultPlans
    }

    /// Reads a JSON body as `message`, applies `bindings` (path and query values) on top, and encodes it.
    ///
    /// - Throws: `GatewayError` `INVALID_ARGUMENT` with the JSON path and a plain reason for any JSON or value
    ///   the message cannot take; `INTERNAL` when `message` is not in the schema.
    public func protobuf(
        fromJSON json: ByteBuffer,
        message: String,
        options: Options = Options(),
        bindings: [FieldBinding] = []
    ) throws(GatewayError) -> ByteBuffer {
        let arena = Arena()
        var output = ByteBuffer()
        try protobuf(fromJSON: json, message: message, options: options, bindings: bindings, arena: arena, into: &output)
        return output
    }

    /// As ``protobuf(fromJSON:message:options:bindings:)``, allocating in a request's workspace (which the
    /// caller resets between requests) instead of a fresh arena per call.
    public func protobuf(
        fromJSON json: ByteBuffer,
        message: String,
        options: Options = Options(),
        bindings: [FieldBinding] = [],
        workspace: WireWorkspace
    ) throws(GatewayError) -> ByteBuffer {
        var output = ByteBuffer()
        try protobuf(fromJSON: json, message: message, options: options, bindings: bindings, arena: workspace.arena, into: &output)
        return output
    }

    /// As ``protobuf(fromJSON:message:options:bindings:)``, in a caller's arena, appending to `output`.
    /// An empty (or all-whitespace) body gives an empty message. With a `bodyField`, the JSON document is
    /// the value of that top-level field rather than the whole message (an HttpRule's `body: "field"`).
    package func protobuf(
        fromJSON json: ByteBuffer,
        message: String,
        bodyField: String? = nil,
        options: Options,
        bindings: [FieldBinding],
        arena: Arena,
        into output: inout ByteBuffer
    ) throws(GatewayError) {
        let resolved = try resolve(message, field: bodyField, apiVersion: options.apiVersion)
        try protobuf(fromJSON: json, resolved: resolved, options: options, bindings: bindings, arena: arena, into: &output)
    }

    /// Decodes a protobuf `message` and writes it as JSON.
    ///
    /// - Throws: `GatewayError` `INTERNAL` (source upstream) when the bytes are not a valid `message` or hold
    ///   a value JSON cannot carry (a Timestamp out of range, a FieldMask path that does not convert); the
    ///   client sees a generic message, the log gets the path and reason.
    public func json(fromProtobuf protobuf: ByteBuffer, message: String, options: Options = Options()) throws(GatewayError) -> ByteBuffer {
        let arena = Arena()
        var output = ByteBuffer()
        try json(fromProtobuf: protobuf, message: message, options: options, arena: arena, into: &output)
        return output
    }

    /// As ``json(fromProtobuf:message:options:)``, allocating in a request's workspace (which the caller
    /// resets between requests) instead of a fresh arena per call.
    public func json(
        fromProtobuf protobuf: ByteBuffer,
        message: String,
        options: Options = Options(),
        workspace: WireWorkspace
    ) throws(GatewayError) -> ByteBuffer {
        var output = ByteBuffer()
        try json(fromProtobuf: protobuf, message: message, options: options, arena: workspace.arena, into: &output)
        return output
    }

    /// As ``json(fromProtobuf:message:options:)``, in a caller's arena, appending to `output`. With a
    /// `responseField`, only that top-level field's value is written (an HttpRule's `response_body`).
    package func json(
        fromProtobuf protobuf: ByteBuffer,
        message: String,
        responseField: String? = nil,
        options: Options,
        arena: Arena,
        into output: inout ByteBuffer
    ) throws(GatewayError) {
        let resolved = try resolve(message, field: responseField, apiVersion: options.apiVersion)
        try json(fromProtobuf: protobuf, resolved: resolved, options: options, arena: arena, into: &output)
    }
}

extension JSONTranscoder.Options {
    /// ``maxDepth`` within 1...1,000.
    var effectiveMaxDepth: Int { min(max(maxDepth, 1), 1000) }
}
