public import PorticoSchema

/// The JSON names of one message's fields in one API version.
package struct MessageJSONNames: Sendable {
    /// The name written for each field, by index into the message's `fields`.
    package let outputNames: [String]
    /// The field index for every name accepted on input: the version's JSON name and the proto name.
    package let inputFields: [String: Int]
}

/// The JSON field names of every message, per API version.
///
/// The default version uses the proto3 JSON names (the `json_name` option or the lowerCamelCase form of the
/// field name). Another version starts from those and may rename any field of any message; a rename applies
/// wherever the message appears. On input both the version's JSON name and the proto field name are
/// accepted. Built once per configuration snapshot; lookups on the request path are dictionary reads.
public struct JSONNameTables: Sendable {
    /// One rename from a mapping file: in `version`, field `protoFieldName` of `message` is called `jsonName`.
    public struct Rename: Sendable, Hashable {
        /// The API version the rename belongs to (`v1`).
        public var version: String
        /// The fully qualified message name, without a leading dot.
        public var message: String
        /// The field as the schema names it (`order_items`).
        public var protoFieldName: String
        /// The field's JSON name in that version (`items`).
        public var jsonName: String

        /// A rename of one field in one version.
        public init(version: String, message: String, protoFieldName: String, jsonName: String) {
            self.version = version
            self.message = message
            self.protoFieldName = protoFieldName
            self.jsonName = jsonName
        }
    }

    /// The version whose names are the proto3 JSON names.
    public let defaultVersion: String
    private let defaultNames: [String: MessageJSONNames]
    private let renamedNames: [String: [String: MessageJSONNames]]

    /// Builds the tables for every message of `pool`.
    ///
    /// - Throws: ``JSONNameTableError`` listing every rename of a missing message or field, every two fields
    ///   given one name, and every name that would collide with another field's proto name.
    public init(pool: SchemaPool, defaultVersion: String, renames: [Rename] = []) throws(JSONNameTableError) {
        self.defaultVersion = defaultVersion
        var defaults: [String: MessageJSONNames] = [:]
        for (name, message) in pool.messages {
            defaults[name] = Self.names(for: message, jsonNames: message.fields.map(\.jsonName))
        }
        var problems: [String] = []
        var grouped: [String: [String: [Rename]]] = [:]
        for rename in renames {
            grouped[rename.version, default: [:]][rename.message, default: []].append(rename)
        }
        var renamed: [String: [String: MessageJSONNames]] = [:]
        for (version, messages) in grouped.sorted(by: { $0.key < $1.key }) {
            var table: [String: MessageJSONNames] = [:]
            for (messageName, messageRenames) in messages.sorted(by: { $0.key < $1.key }) {
                guard let message = pool.messages[messageName] else {
                    problems.append("version \(version): rename in unknown message \(messageName)")
                    continue
                }
                if let names = Self.renamedNames(message, messageRenames, version: version, problems: &problems) {
                    table[messageName] = names
                }
            }
            renamed[version] = table
        }
        guard problems.isEmpty else { throw JSONNameTableError(problems: problems) }
        self.defaultNames = defaults
        self.renamedNames = renamed
    }

    /// Every version with at least one rename, and the default version.
    public var versions: [String] {
        Array(Set(renamedNames.keys).union([defaultVersion])).sorted()
    }

    /// The names of `message` in `version`; a version without renames for it, or an unknown or `nil`
    /// version, gives the default names.
    package func names(for message: String, version: String?) -> MessageJSONNames? {
        if let version, let names = renamedNames[version]?[message] { return names }
        return defaultNames[message]
    }

    private static func renamedNames(
        _ message: MessageDescriptor,
        _ renames: [Rename],
        version: String,
        problems: inout [String]
    ) -> MessageJSONNames? {
        var jsonNames = message.fields.map(\.jsonName)
        let problemCount = problems.count
        for rename in renames {
            guard let index = message.fields.firstIndex(where: { $0.name == rename.protoFieldName }) else {
                problems.append("version \(version): \(message.fullName) has no field \(rename.protoFieldName) to rename")
                continue
            }
            jsonNames[index] = rename.jsonName
        }
        var owners: [String: Int] = [:]
        for (index, name) in jsonNames.enumerated() {
            if let other = owners[name] {
                problems.append("version \(version): \(message.fullName) fields \(message.fields[other].name) and \(message.fields[index].name) both have the JSON name \(name)")
            } else {
                owners[name] = index
            }
        }
        for (index, field) in message.fields.enumerated() {
            if let other = owners[field.name], other != index {
                problems.append("version \(version): \(message.fullName) field \(message.fields[other].name) is renamed to \(field.name), the proto name of another field")
            }
        }
        guard problems.count == problemCount else { return nil }
        return names(for: message, jsonNames: jsonNames)
    }

    private static func names(for message: MessageDescriptor, jsonNames: [String]) -> MessageJSONNames {
        var input: [String: Int] = [:]
        for (index, field) in message.fields.enumerated() where input[field.name] == nil {
            input[field.name] = index
        }
        for (index, name) in jsonNames.enumerated() {
            input[name] = index
        }
        return MessageJSONNames(outputNames: jsonNames, inputFields: input)
    }
}

/// The renames of a mapping file do not fit the schema.
public struct JSONNameTableError: Error, Sendable, CustomStringConvertible {
    /// One plain sentence per problem found.
    public var problems: [String]

    /// Every problem, one per line.
    public var description: String { problems.joined(separator: "\n") }
}
