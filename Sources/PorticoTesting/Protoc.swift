import Foundation
import PorticoSchema

/// The system `protoc` (Debian `protobuf-compiler`), the reference the schema loaders are checked against.
package enum Protoc {
    /// Compiles `files` (relative to the include roots) into a `FileDescriptorSet` with every import included.
    ///
    /// The `google/api` and `google/rpc` files Portico carries built in are written to a temporary include
    /// root first, so schemas that import them compile; protoc finds the well-known types in its own folder.
    package static func descriptorSet(files: [String], includeRoots: [URL]) throws -> Data {
        let scratch = try Scratch.path("protoc")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let builtIns = scratch.appendingPathComponent("include")
        for (path, text) in BuiltInProtos.files where !BuiltInProtos.wellKnownTypeFiles.contains(path) {
            let url = builtIns.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let output = scratch.appendingPathComponent("set.binpb")
        let includes = (includeRoots + [builtIns]).map { "-I\($0.path)" }
        _ = try ProcessRunner.output(
            "/usr/bin/protoc",
            includes + ["--include_imports", "--include_source_info", "--descriptor_set_out=\(output.path)"] + files
        )
        return try Data(contentsOf: output)
    }

    /// As ``descriptorSet(files:includeRoots:)``, waiting for `protoc` on a thread of its own so an async test
    /// holds none of the few cooperative threads while it runs.
    package static func descriptorSet(files: [String], includeRoots: [URL]) async throws -> Data {
        try await BlockingThread.value { try descriptorSet(files: files, includeRoots: includeRoots) as Data }
    }
}
