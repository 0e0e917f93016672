import Foundation

/// Reads the key files that `auth:` names (JWKS, HMAC secret, API keys), relative to the mappings folder.
///
/// Tests give the files' contents directly, so no folder is needed.
public struct AuthKeyFiles: Sendable {
    private let read: @Sendable (String) -> [UInt8]?

    /// Files under `mappingsDirectory`; absolute paths are read as they are.
    public init(mappingsDirectory: String) {
        read = { path in
            let full = path.hasPrefix("/") ? path : (mappingsDirectory as NSString).appendingPathComponent(path)
            return FileManager.default.contents(atPath: full).map { Array($0) }
        }
    }

    /// Files whose contents are given, by the path `auth:` names them with.
    public init(contents: [String: String]) {
        read = { path in contents[path].map { Array($0.utf8) } }
    }

    /// The bytes of `path`, or `nil` when it cannot be read.
    func bytes(of path: String) -> [UInt8]? {
        read(path)
    }
}
