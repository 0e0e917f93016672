import Foundation
import PorticoCodec
import PorticoSchema
import PorticoTesting
import Testing

/// The `.proto` parser against `protoc`: for every bundled and fixture schema, the pool parsed from text
/// equals the pool the `FileDescriptorSet` loader builds from `protoc --include_imports` output: the
/// schema's own files and every import, built-in `google/api` files and well-known types included.
@Suite("Parser versus protoc")
struct ParserVersusProtocTests {
    /// One compilation: an include root and the file given to both compilers.
    struct Case: Sendable, CustomTestStringConvertible {
        var root: URL
        var file: String
        var testDescription: String { file }
    }

    static let cases: [Case] = [Fixtures.protosDirectory, Fixtures.url("protos")].flatMap { root in
        ProtoLoader(includeRoots: [root]).discoverFiles().map { Case(root: root, file: $0) }
    }

    @Test(arguments: cases)
    func parsedPoolEqualsProtocPool(_ testCase: Case) throws {
        let bytes = try Protoc.descriptorSet(files: [testCase.file], includeRoots: [testCase.root])
        let fromProtoc = try FileDescriptorSetLoader().load([UInt8](bytes))
        let parsed = try ProtoLoader(includeRoots: [testCase.root]).load(files: [testCase.file]).pool
        #expect(Set(parsed.files.keys) == Set(fromProtoc.files.keys))
        if parsed != fromProtoc {
            Issue.record("The parsed pool differs from protoc's:\n\(Self.difference(expected: fromProtoc, actual: parsed))")
        }
    }

    @Test func wellKnownTypesEqualProtocs() throws {
        let files = BuiltInProtos.wellKnownTypeFiles.sorted()
        let bytes = try Protoc.descriptorSet(files: files, includeRoots: [])
        let fromProtoc = try FileDescriptorSetLoader().load([UInt8](bytes))
        let parsed = try ProtoLoader().load(files: files).pool
        if parsed != fromProtoc {
            Issue.record("The built-in well-known types differ from protoc's:\n\(Self.difference(expected: fromProtoc, actual: parsed))")
        }
    }

    /// The first differing line of the canonical texts, or the first differing declaration when the
    /// difference lies in something the text does not show.
    static func difference(expected: SchemaPool, actual: SchemaPool) -> String {
        if let line = SchemaPoolText.firstDifference(expected: SchemaPoolText.render(expected), actual: SchemaPoolText.render(actual)) {
            return line
        }
        for (name, message) in expected.messages.sorted(by: { $0.key < $1.key }) where actual.messages[name] != message {
            return "message \(name):\nexpected: \(message)\nactual:   \(String(describing: actual.messages[name]))"
        }
        for (name, value) in expected.enums.sorted(by: { $0.key < $1.key }) where actual.enums[name] != value {
            return "enum \(name):\nexpected: \(value)\nactual:   \(String(describing: actual.enums[name]))"
        }
        for (name, service) in expected.services.sorted(by: { $0.key < $1.key }) where actual.services[name] != service {
            return "service \(name):\nexpected: \(service)\nactual:   \(String(describing: actual.services[name]))"
        }
        return "files: expected \(expected.files.values.sorted { $0.name < $1.name }), actual \(actual.files.values.sorted { $0.name < $1.name })"
    }
}
