import NIOHTTP1

extension HTTPHeaders {
    /// Sets `name` to `value` alone: replaces the field when present, else appends it. Unlike
    /// `replaceOrAdd`, a field that is absent (the usual case for the framing and content headers the
    /// gateway sets) costs no pass that rewrites the list.
    mutating func set(name: String, value: String) {
        if contains(name: name) {
            replaceOrAdd(name: name, value: value)
        } else {
            add(name: name, value: value)
        }
    }
}
