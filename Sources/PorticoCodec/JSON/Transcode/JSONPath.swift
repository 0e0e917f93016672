/// The path of a value in a document, for error messages: `orderItems[2].quantity`, `labels["env"]`.
///
/// The parser and printer keep no path while they work: a failure collects it on its way out (see
/// ``JSONLocatedFailure``), so a document that is read or written without error pays nothing for it.
struct JSONPath {
    enum Component {
        case field(String)
        /// A field read by the name the client wrote: its proto name or its JSON name.
        case plannedField(JSONFieldPlan, isProtoName: Bool)
        case index(Int)
        case key(String)
    }

    /// From the document's root inwards.
    var components: [Component] = []

    var rendered: String {
        var text = ""
        for component in components {
            switch component {
            case .field(let name):
                if !text.isEmpty { text += "." }
                text += name
            case .plannedField(let field, let isProtoName):
                if !text.isEmpty { text += "." }
                text += isProtoName ? field.layout.name : field.jsonName
            case .index(let index):
                text += "[\(index)]"
            case .key(let key):
                text += "[\"\(key)\"]"
            }
        }
        return text
    }

    /// `path: reason`, or the reason alone at the top level.
    func message(_ reason: String) -> String {
        let path = rendered
        return path.isEmpty ? reason : "\(path): \(reason)"
    }
}
