import Foundation

/// The system `protoc` (Debian `protobuf-compiler`), the reference the schema loaders are checked against.
public enum Protoc {
    /// Compiles `files` (relative to the include roots) into a `FileDescriptorSet` with every import included.
    public static func descriptorSet(files: [String], includeRoots: [URL]) throws -> Data {
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("portico-\(UUID().uuidString).binpb")
        defer { try? FileManager.default.removeItem(at: output) }
        let includes = includeRoots.map { "-I\($0.path)" }
        _ = try ProcessRunner.output(
            "/usr/bin/protoc",
            includes + ["--include_imports", "--descriptor_set_out=\(output.path)"] + files
        )
        return try Data(contentsOf: output)
    }
}
