/// Where a value was written: file, line, column and key path.
public struct SourceLocation: Sendable, Hashable {
    public var file: String
    public var line: Int
    public var column: Int
    public var keyPath: String

    public init(file: String, line: Int, column: Int, keyPath: String) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
    }

    /// A diagnostic at this location.
    public func diagnostic(_ message: String) -> ConfigDiagnostic {
        ConfigDiagnostic(file: file, line: line, column: column, keyPath: keyPath, message: message)
    }
}

/// A value together with the place it was written, so later checks can point at it.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}
