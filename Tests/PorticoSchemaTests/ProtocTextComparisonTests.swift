import Foundation
import PorticoSchema
import PorticoTesting
import Testing

/// The parser against `protoc`: the pool parsed from text, rendered as canonical text, equals the text
/// Python's `descriptor_pb2` prints for `protoc --include_imports --descriptor_set_out` of the same files.
@Suite("Parser versus protoc (canonical text)")
struct ProtocTextComparisonTests {
    /// One compilation: include roots and the files given to both compilers.
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var roots: [URL]
        var files: [String]
        var testDescription: String { label }
    }

    static let cases: [Case] = {
        var cases = [Case(label: "well-known types", roots: [], files: BuiltInProtos.wellKnownTypeFiles.sorted())]
        let protos = ProtoLoader(includeRoots: [Fixtures.protosDirectory]).discoverFiles()
        cases += protos.map { Case(label: "Protos/\($0)", roots: [Fixtures.protosDirectory], files: [$0]) }
        let fixtureRoot = Fixtures.url("protos")
        let fixtures = ProtoLoader(includeRoots: [fixtureRoot]).discoverFiles()
        cases += fixtures.map { Case(label: "Fixtures/protos/\($0)", roots: [fixtureRoot], files: [$0]) }
        return cases
    }()

    @Test(arguments: cases)
    func parsedPoolMatchesProtoc(_ testCase: Case) async throws {
        let scratch = try Scratch.path("set.binpb")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try await Protoc.descriptorSet(files: testCase.files, includeRoots: testCase.roots).write(to: scratch)
        let expected = String(decoding: try await PythonPeer.runScript("descriptor_canonical.py", [scratch.path]), as: UTF8.self)
        let loaded = try ProtoLoader(includeRoots: testCase.roots).load(files: testCase.files)
        let actual = SchemaPoolText.render(loaded.pool)
        if let difference = SchemaPoolText.firstDifference(expected: expected, actual: actual) {
            Issue.record("The parsed pool differs from protoc's:\n\(difference)")
        }
    }
}
