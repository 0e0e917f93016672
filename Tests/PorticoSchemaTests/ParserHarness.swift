import PorticoSchema

/// Loads in-memory `.proto` text for the parser suites.
enum ParserHarness {
    /// Loads `files` (import path → text), all of them requested.
    static func load(_ files: [String: String]) throws(ProtoLoadError) -> ProtoLoadResult {
        try ProtoLoader(sources: files).load(files: files.keys.sorted())
    }

    /// Loads one file named `test.proto`.
    static func load(_ text: String) throws(ProtoLoadError) -> ProtoLoadResult {
        try load(["test.proto": text])
    }

    /// The error lines (`file:line:column: message`) of a load expected to fail; empty when it succeeds.
    static func errors(_ files: [String: String]) -> [String] {
        do {
            _ = try load(files)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    static func errors(_ text: String) -> [String] {
        errors(["test.proto": text])
    }

    /// The one field of `message M` in package `t`, declared by `declaration` in a file of `syntax`.
    static func field(_ declaration: String, syntax: String = "proto3", prelude: String = "") throws -> FieldDescriptor? {
        let text = """
            syntax = "\(syntax)";
            package t;
            \(prelude)
            message M {
              \(declaration)
            }
            """
        return try load(text).pool.messages["t.M"]?.fields.first
    }
}
