/// Pages through a sorted list with the `page_size`/`page_token` convention of Google's API design guide.
///
/// The token is the decimal offset of the next item; a size of 0 means the default of 10, and sizes are
/// capped at 100.
enum DemoPage {
    static func slice<Item>(_ items: [Item], size: Int32, token: String) throws(DemoFailure) -> (items: [Item], next: String) {
        guard size >= 0 else { throw .invalidArgument("page_size must not be negative") }
        let offset: Int
        if token.isEmpty {
            offset = 0
        } else if let parsed = Int(token), parsed >= 0, parsed <= items.count {
            offset = parsed
        } else {
            throw .invalidArgument("page_token is not a token this service issued")
        }
        let count = size == 0 ? 10 : min(Int(size), 100)
        let end = min(offset + count, items.count)
        return (Array(items[offset..<end]), end < items.count ? String(end) : "")
    }
}
