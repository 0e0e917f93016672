/// One schema file as loaded: its syntax, package and imports.
public struct ProtoFile: Sendable, Hashable {
    /// The syntax a file declares.
    public enum Syntax: String, Sendable, Hashable {
        case proto2
        case proto3
    }

    /// The path relative to its include root (`demo/orders/v1/orders.proto`).
    public var name: String
    public var package: String
    public var syntax: Syntax
    /// The imported paths, in declaration order.
    public var dependencies: [String]

    public init(name: String, package: String, syntax: Syntax, dependencies: [String]) {
        self.name = name
        self.package = package
        self.syntax = syntax
        self.dependencies = dependencies
    }
}
