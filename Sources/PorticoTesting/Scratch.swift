import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Scratch space for tests: folders and files under one root per test process,
/// `<temporary directory>/portico-tests-<pid>`, removed with everything in it when the process exits, so
/// nothing a test writes outlives the run, whether the test passed, failed or threw.
///
/// The first use also removes the roots of test processes that are no longer running (one that crashed or
/// was killed never got to remove its own).
package enum Scratch {
    /// A new, empty folder `<UUID>-<name>`.
    package static func folder(_ name: String) throws -> URL {
        let folder = try path(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        return folder
    }

    /// A path nothing is at yet, `<UUID>-<name>`, for a file or folder the caller makes; `name` may end in an
    /// extension (`"counts.json"`).
    package static func path(_ name: String) throws -> URL {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return root.appendingPathComponent("\(UUID().uuidString)-\(name)")
    }

    private static let prefix = "portico-tests-"

    /// This process's root; the first use clears the roots of ended processes and registers the removal at exit.
    private static let root: URL = {
        removeRootsOfEndedProcesses()
        atexit { try? FileManager.default.removeItem(at: Scratch.root) }
        return FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)\(getpid())")
    }()

    /// Removes the roots whose process has ended; a running one, or one not ours to signal, keeps its root.
    private static func removeRootsOfEndedProcesses() {
        let temporary = FileManager.default.temporaryDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        for name in names where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count)), kill(pid, 0) == -1, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
        }
    }
}
