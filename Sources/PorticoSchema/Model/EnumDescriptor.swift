/// An enum type of the schema, with its values in declaration order.
public struct EnumDescriptor: Sendable, Hashable {
    /// One named value of an enum.
    public struct Value: Sendable, Hashable {
        public var name: String
        public var number: Int32
        public var isDeprecated: Bool

        public init(name: String, number: Int32, isDeprecated: Bool = false) {
            self.name = name
            self.number = number
            self.isDeprecated = isDeprecated
        }
    }

    /// The fully qualified name without a leading dot.
    public var fullName: String
    public var file: String
    public var values: [Value]
    /// The `allow_alias` option: several names may share a number.
    public var allowAlias: Bool
    public var isDeprecated: Bool

    public init(fullName: String, file: String, values: [Value], allowAlias: Bool = false, isDeprecated: Bool = false) {
        self.fullName = fullName
        self.file = file
        self.values = values
        self.allowAlias = allowAlias
        self.isDeprecated = isDeprecated
    }

    /// The last component of ``fullName``.
    public var name: String { String(fullName.split(separator: ".").last ?? "") }

    /// The first value declared with a number (the canonical name when aliases exist).
    public func value(number: Int32) -> Value? {
        values.first { $0.number == number }
    }

    /// The value with a given name.
    public func value(named name: String) -> Value? {
        values.first { $0.name == name }
    }
}
