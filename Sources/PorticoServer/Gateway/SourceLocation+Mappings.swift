import Foundation
import PorticoConfig

extension SourceLocation {
    /// `Mappings/orders.yaml:12:7: key.path: message` for a problem written here, or just
    /// `Mappings/orders.yaml:12:7` (the origin of a route) without a message.
    func described(_ message: String?, mappingsLabel: String) -> String {
        var diagnostic = diagnostic(message ?? "")
        diagnostic.file = "\(mappingsLabel)/\(file)"
        guard message != nil else {
            return diagnostic.line > 0 ? "\(diagnostic.file):\(diagnostic.line):\(diagnostic.column)" : diagnostic.file
        }
        return diagnostic.description
    }
}

/// Files the mapping files name (certificates, keys, CA bundles), relative to the mappings folder.
enum MappingsPath {
    /// `file` under `directory`; an absolute path as it is.
    static func resolve(_ file: String, in directory: String) -> String {
        file.hasPrefix("/") ? file : (directory as NSString).appendingPathComponent(file)
    }
}
