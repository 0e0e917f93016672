/// How a route's JSON is written and read: `json:` in `defaults:`, `backend:` or a route.
///
/// The keys follow protobuf's JSON printer and parser options; each level replaces only the keys it names.
public struct JSONSettings: Sendable, Hashable {
    /// Write fields without presence even when they hold their default (`0`, `""`, `[]`, `{}`).
    public var emitUnpopulated: Bool
    /// Write enum values as numbers instead of names.
    public var enumsAsNumbers: Bool
    /// Write proto field names (`order_items`) instead of JSON names (`orderItems`).
    public var useProtoNames: Bool
    /// Accept and drop request fields the message does not have, instead of answering 400.
    public var ignoreUnknownFields: Bool

    public init(emitUnpopulated: Bool = false, enumsAsNumbers: Bool = false, useProtoNames: Bool = false, ignoreUnknownFields: Bool = false) {
        self.emitUnpopulated = emitUnpopulated
        self.enumsAsNumbers = enumsAsNumbers
        self.useProtoNames = useProtoNames
        self.ignoreUnknownFields = ignoreUnknownFields
    }
}

/// The `json:` keys one level names, each replacing the inherited value.
public struct JSONOverrides: Sendable, Hashable {
    public var emitUnpopulated: Bool?
    public var enumsAsNumbers: Bool?
    public var useProtoNames: Bool?
    public var ignoreUnknownFields: Bool?

    public init(emitUnpopulated: Bool? = nil, enumsAsNumbers: Bool? = nil, useProtoNames: Bool? = nil, ignoreUnknownFields: Bool? = nil) {
        self.emitUnpopulated = emitUnpopulated
        self.enumsAsNumbers = enumsAsNumbers
        self.useProtoNames = useProtoNames
        self.ignoreUnknownFields = ignoreUnknownFields
    }

    /// `settings` with the named keys replaced.
    public func applied(to settings: JSONSettings) -> JSONSettings {
        JSONSettings(
            emitUnpopulated: emitUnpopulated ?? settings.emitUnpopulated,
            enumsAsNumbers: enumsAsNumbers ?? settings.enumsAsNumbers,
            useProtoNames: useProtoNames ?? settings.useProtoNames,
            ignoreUnknownFields: ignoreUnknownFields ?? settings.ignoreUnknownFields
        )
    }
}
