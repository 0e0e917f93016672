/// The path of the value being read or written, for error messages: `orderItems[2].quantity`,
/// `labels["env"]`.
struct JSONPath {
    enum Component {
        case field(String)
        /// A field read by the name the client wrote: its proto name or its JSON name. The plan is not
        /// retained (plans outlive every call), so pushing one costs no reference count.
        case plannedField(Unmanaged<JSONFieldPlan>, isProtoName: Bool)
        case index(Int)
        case key(String)
    }

    private(set) var components: [Component] = []

    mutating func push(_ component: Component) {
        components.append(component)
    }

    mutating func pop() {
        components.removeLast()
    }

    /// Sets the index of the innermost `index` component (cheaper than pop and push per element).
    mutating func setIndex(_ index: Int) {
        components[components.count - 1] = .index(index)
    }

    var rendered: String {
        var text = ""
        for component in components {
            switch component {
            case .field(let name):
                if !text.isEmpty { text += "." }
                text += name
            case .plannedField(let reference, let isProtoName):
                let field = reference.takeUnretainedValue()
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
