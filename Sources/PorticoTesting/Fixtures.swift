import Foundation

/// Finds the repository's test fixtures, `Protos/` and `Mappings/` from any test target.
///
/// The paths come from this file's location, so tests work from any working directory.
package enum Fixtures {
    /// The repository root (the folder that holds `Package.swift`).
    package static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `Tests/Fixtures`.
    package static let directory: URL = repositoryRoot.appendingPathComponent("Tests/Fixtures")

    /// The bundled `Protos/` folder.
    package static let protosDirectory: URL = repositoryRoot.appendingPathComponent("Protos")

    /// The bundled `Mappings/` folder.
    package static let mappingsDirectory: URL = repositoryRoot.appendingPathComponent("Mappings")

    /// A path below `Tests/Fixtures`.
    package static func url(_ relativePath: String) -> URL {
        directory.appendingPathComponent(relativePath)
    }

    /// The contents of a file below `Tests/Fixtures`.
    package static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: url(relativePath))
    }
}
