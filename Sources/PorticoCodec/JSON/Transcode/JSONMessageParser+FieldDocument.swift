extension JSONMessageParser {
    /// Reads one whole JSON document as the value of one field of `handle`, as `body: "field"` asks.
    mutating func parseFieldDocument(_ fieldPlan: JSONFieldPlan, into handle: MessageHandle) throws(JSONTranscodeFailure) {
        do {
            try parseFieldValue(fieldPlan, into: handle)
            try reader.expectEnd()
        } catch {
            throw JSONTranscodeFailure(error)
        }
    }
}
