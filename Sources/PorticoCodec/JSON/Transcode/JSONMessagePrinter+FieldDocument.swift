extension JSONMessagePrinter {
    /// Writes one field's value as a whole JSON document, as `response_body` asks: an array for a list, an
    /// object for a map, a message's or a scalar's own JSON form otherwise.
    mutating func printFieldDocument(_ fieldPlan: JSONFieldPlan, _ handle: MessageHandle) throws(JSONTranscodeFailure) {
        do {
            let field = fieldPlan.layout
            if field.isMap {
                try printMap(fieldPlan, handle, count: handle.count(field))
            } else if field.isRepeated {
                try printList(fieldPlan, handle, count: handle.count(field))
            } else {
                try printValue(fieldPlan, field: field, handle, index: nil)
            }
        } catch {
            throw JSONTranscodeFailure(error)
        }
    }
}
