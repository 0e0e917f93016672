/// A JSON transcoding failure with its message complete: the JSON path, then the reason.
struct JSONTranscodeFailure: Error {
    /// `orderItems[2].quantity: expected an integer, got "abc"`.
    let message: String

    init(message: String) {
        self.message = message
    }

    /// The failure for any error thrown while reading or writing at `path`: syntax errors keep their byte
    /// offset, value errors get the path in front.
    init(_ error: any Error, at path: JSONPath) {
        switch error {
        case let failure as JSONTranscodeFailure:
            self = failure
        case let readError as JSONReadError:
            let reason = readError.offset.map { "invalid JSON: \(readError.reason) (at byte \($0))" } ?? readError.reason
            message = path.message(reason)
        default:
            message = path.message("\(error)")
        }
    }
}
