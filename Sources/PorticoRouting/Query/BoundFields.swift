public import PorticoCore

/// The fields a route fills from the URL path and the body, which query parameters must leave alone.
///
/// The HttpRule spec sends every field that is neither bound by the path template nor carried by the body
/// as a query parameter, and says that with `body: "*"` there are no query parameters at all. A parameter
/// *overlaps* a bound field when one path is a prefix of the other: with `{book.name}` bound, `book.name`
/// and `book.name.x` overlap, and so does `book` (it would set the message that holds the bound field);
/// `book.title` does not. With `body: "message"`, `message` and `message.text` overlap.
///
/// Field paths are compared name by name, so the caller resolves JSON names to proto names first (the
/// compiled routes already bind proto names).
public struct BoundFields: Sendable, Hashable {
    /// What to do with a parameter that overlaps a bound field.
    public enum Policy: Sendable, Hashable {
        /// Answer 400 (Portico's strict default).
        case reject
        /// Drop the parameter, as grpc-gateway does.
        case ignore
    }

    /// What binds a field.
    public enum Owner: Sendable, Hashable {
        /// The path variable with this field path.
        case path([String])
        /// The body field (or, for `body: "*"`, the whole body).
        case body
    }

    /// The field paths of the path variables.
    public var pathFields: [[String]]
    /// The rule's `body`: `""`, `"*"` or a top-level field name.
    public var body: String

    /// Creates the set from the path variables' field paths and the rule's `body`.
    public init(pathFields: [[String]], body: String) {
        self.pathFields = pathFields
        self.body = body
    }

    /// The bound fields of a route: its template's variables and its body.
    public init<Value>(route: Route<Value>) {
        self.init(pathFields: route.template.variables.map(\.fieldPath), body: route.body)
    }

    /// What binds a parameter's field path, or `nil` when the parameter is free.
    public func owner(of fieldPath: [String]) -> Owner? {
        if let bound = pathFields.first(where: { Self.overlap($0, fieldPath) }) {
            return .path(bound)
        }
        if body == "*" || (!body.isEmpty && Self.overlap(body.split(separator: ".").map(String.init), fieldPath)) {
            return .body
        }
        return nil
    }

    /// The parameters that overlap no bound field, in order.
    ///
    /// - Throws: with ``Policy/reject``, a `GatewayError` with `INVALID_ARGUMENT` (HTTP 400) naming the first
    ///   overlapping parameter.
    public func unboundParameters(_ parameters: [FieldBinding], policy: Policy) throws(GatewayError) -> [FieldBinding] {
        var free: [FieldBinding] = []
        free.reserveCapacity(parameters.count)
        for parameter in parameters {
            if policy == .reject {
                try checkFree(parameter.fieldPath, parameter: parameter.name)
            } else if owner(of: parameter.fieldPath) != nil {
                continue
            }
            free.append(parameter)
        }
        return free
    }

    /// Refuses a query parameter whose field path (in proto names) overlaps a bound field.
    ///
    /// - Parameter parameter: the parameter as the client spelled it, for the message.
    /// - Throws: a `GatewayError` with `INVALID_ARGUMENT` (HTTP 400) naming the parameter.
    package func checkFree(_ fieldPath: [String], parameter: String) throws(GatewayError) {
        switch owner(of: fieldPath) {
        case nil:
            return
        case .path?:
            throw .invalidArgument("query parameter \"\(parameter)\" sets a field bound by the URL path")
        case .body? where body == "*":
            throw .invalidArgument(
                "query parameter \"\(parameter)\" is not accepted: this route takes every field "
                    + "not in the URL path from the request body")
        case .body?:
            throw .invalidArgument("query parameter \"\(parameter)\" sets a field carried by the request body")
        }
    }

    private static func overlap(_ bound: [String], _ parameter: [String]) -> Bool {
        let shared = min(bound.count, parameter.count)
        return bound.prefix(shared).elementsEqual(parameter.prefix(shared))
    }
}
