/// A JSON transcoding failure with its message complete: the JSON path, then the reason.
struct JSONTranscodeFailure: Error {
    /// `orderItems[2].quantity: expected an integer, got "abc"`.
    let message: String

    init(message: String) {
        self.message = message
    }

    /// The failure for any error thrown while reading or writing a document: syntax errors keep their byte
    /// offset, value errors get the path the error collected on its way out in front.
    init(_ error: any Error) {
        if let failure = error as? JSONTranscodeFailure {
            self = failure
        } else {
            message = JSONLocatedFailure(error).message
        }
    }
}

/// A failure inside a document and the path to it, collected while the error travels out: every level
/// that descends into a field, element or map value catches what its part throws and adds its component.
struct JSONLocatedFailure: Error {
    /// The path from the failure outwards (innermost first).
    private(set) var reversedPath: [JSONPath.Component] = []
    /// The plain reason; for a syntax error, `invalid JSON: …` with the byte offset.
    let reason: String

    /// A failure at the point where it is thrown.
    init(reason: String) {
        self.reason = reason
    }

    /// Any error thrown while reading or writing, located where it was thrown (or where it already says).
    init(_ error: any Error) {
        switch error {
        case let located as JSONLocatedFailure:
            self = located
        case let readError as JSONReadError:
            reason = readError.offset.map { "invalid JSON: \(readError.reason) (at byte \($0))" } ?? readError.reason
        case let failure as JSONTranscodeFailure:
            reason = failure.message
        default:
            reason = "\(error)"
        }
    }

    /// `error`, thrown inside `component`, located one step further out.
    init(_ error: any Error, in component: JSONPath.Component) {
        self.init(error)
        reversedPath.append(component)
    }

    /// `path: reason`, or the reason alone at the top level.
    var message: String {
        JSONPath(components: reversedPath.reversed()).message(reason)
    }
}
