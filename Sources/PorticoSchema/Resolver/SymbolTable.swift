/// Every name the loaded files declare, and protobuf's rules for finding one from inside a scope.
///
/// As in protoc, packages, messages, enums, enum values (siblings of their enum), fields, oneofs, services
/// and methods share one namespace; a name declared twice is an error.
struct SymbolTable {
    /// What a name denotes.
    enum Kind: Sendable, Equatable {
        case package
        case message
        case enumType
        case enumValue
        case field
        case oneof
        case service
        case method

        /// Whether names may continue after this one (`Outer.Inner`).
        var isAggregate: Bool {
            switch self {
            case .package, .message, .enumType, .service: true
            case .enumValue, .field, .oneof, .method: false
            }
        }

        var isType: Bool { self == .message || self == .enumType }
    }

    /// A declared name.
    struct Symbol: Sendable, Equatable {
        var kind: Kind
        var file: String
    }

    /// The outcome of a lookup.
    enum Lookup: Equatable {
        case found(fullName: String, symbol: Symbol)
        case notFound(message: String)
    }

    private(set) var symbols: [String: Symbol] = [:]

    /// Declares `fullName`; returns the file that already declared it (packages may repeat).
    mutating func declare(_ fullName: String, kind: Kind, file: String) -> Symbol? {
        if let existing = symbols[fullName] {
            if existing.kind == .package, kind == .package { return nil }
            return existing
        }
        symbols[fullName] = Symbol(kind: kind, file: file)
        return nil
    }

    /// Looks `name` up as protoc does from the declaration `scope` (the full name of the field or method):
    /// the innermost enclosing scope first; a compound name is resolved from the first scope where its
    /// first part is an aggregate; only types count when `typesOnly`. Symbols of files `visible` does not
    /// contain are skipped, and named in the error.
    func lookup(_ name: String, from scope: String, typesOnly: Bool, visible: Set<String>) -> Lookup {
        var undeclared: (fullName: String, file: String)?
        func find(_ fullName: String) -> Symbol? {
            guard let symbol = symbols[fullName] else { return nil }
            if symbol.kind == .package || visible.contains(symbol.file) { return symbol }
            undeclared = undeclared ?? (fullName, symbol.file)
            return nil
        }
        func notFound(_ message: String) -> Lookup {
            if let undeclared {
                return .notFound(message: "\"\(undeclared.fullName)\" seems to be defined in \"\(undeclared.file)\", which is not imported by the file using it. To use it here, please add the necessary import.")
            }
            return .notFound(message: message)
        }
        if name.hasPrefix(".") {
            let fullName = String(name.dropFirst())
            guard let symbol = find(fullName) else { return notFound("\"\(name)\" is not defined.") }
            return .found(fullName: fullName, symbol: symbol)
        }
        let firstPart = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
        let isCompound = firstPart.count < name.count
        var scopeToTry = scope
        while true {
            guard let dot = scopeToTry.lastIndex(of: ".") else {
                guard let symbol = find(name) else { return notFound("\"\(name)\" is not defined.") }
                return .found(fullName: name, symbol: symbol)
            }
            scopeToTry = String(scopeToTry[..<dot])
            let candidate = scopeToTry + "." + firstPart
            if let symbol = find(candidate) {
                if isCompound {
                    if symbol.kind.isAggregate {
                        let fullName = scopeToTry + "." + name
                        guard let resolved = find(fullName) else {
                            return notFound("\"\(name)\" is resolved to \"\(fullName)\", which is not defined. The innermost scope is searched first in name resolution. Consider using a leading '.'(i.e., \".\(name)\") to start from the outermost scope.")
                        }
                        return .found(fullName: fullName, symbol: resolved)
                    }
                } else if !typesOnly || symbol.kind.isType {
                    return .found(fullName: candidate, symbol: symbol)
                }
            }
        }
    }
}
