/// The documentation form of a comment, the same from the `.proto` parser and from a descriptor set's
/// `SourceCodeInfo.leading_comments`: one leading space dropped from each line, blank first and last lines
/// dropped.
public enum ProtoComment {
    /// `" Finds one.\n Second line.\n"` → `"Finds one.\nSecond line."`; `nil` for a blank comment.
    public static func normalized(_ text: String) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasPrefix(" ") ? $0.dropFirst() : $0 }[...]
        while lines.first?.allSatisfy(\.isWhitespace) == true { lines.removeFirst() }
        while lines.last?.allSatisfy(\.isWhitespace) == true { lines.removeLast() }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }
}
