/// Two routes that match exactly the same requests: same method, same verb, same template shape.
public struct RouteConflict: Sendable, Hashable, CustomStringConvertible {
    /// The index of the route declared first.
    public var firstRoute: Int
    /// The index of the route that repeats it.
    public var secondRoute: Int
    /// Names both routes, where they come from, and the shared shape.
    public var message: String

    /// Creates a conflict.
    public init(firstRoute: Int, secondRoute: Int, message: String) {
        self.firstRoute = firstRoute
        self.secondRoute = secondRoute
        self.message = message
    }

    public var description: String { message }
}

/// Every conflict found while building a ``RouteTable``.
public struct RouteTableError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Every conflict, in the order the repeating routes were given.
    public var conflicts: [RouteConflict]

    /// Creates the error.
    public init(conflicts: [RouteConflict]) {
        self.conflicts = conflicts
    }

    public var description: String { conflicts.map(\.message).joined(separator: "\n") }
}
