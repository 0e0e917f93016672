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
    func parsedPoolEqualsProtocPool(_ testCase: Case) async throws {
        let bytes = try await Protoc.descriptorSet(files: [testCase.file], includeRoots: [testCase.root])
        let fromProtoc = try FileDescriptorSetLoader().load([UInt8](bytes))
        let parsedWithComments = try ProtoLoader(includeRoots: [testCase.root]).load(files: [testCase.file]).pool
        #expect(Set(parsedWithComments.files.keys) == Set(fromProtoc.files.keys))
        let parsed = Self.undocumented(parsedWithComments)
        if parsed != Self.undocumented(fromProtoc) {
            Issue.record("The parsed pool differs from protoc's:\n\(Self.difference(expected: Self.undocumented(fromProtoc), actual: parsed))")
        }
        for (name, message) in parsedWithComments.messages where message.file == testCase.file {
            let theirs = fromProtoc.messages[name]
            #expect(message.documentation == theirs?.documentation, "\(name)'s comment as protoc reads it")
            #expect(message.fields.map(\.documentation) == theirs?.fields.map(\.documentation), "\(name)'s field comments as protoc reads them")
        }
        for (name, service) in parsedWithComments.services where service.file == testCase.file {
            #expect(service.methods.map(\.documentation) == fromProtoc.services[name]?.methods.map(\.documentation), "\(name)'s method comments")
        }
    }

    /// The pool without comments: the built-in `google/protobuf` files are ours, with fewer comments than
    /// protoc's copies, so only the schema's own files' comments are compared.
    static func undocumented(_ pool: SchemaPool) -> SchemaPool {
        let messages = pool.messages.values.map { message in
            var message = message
            message.documentation = nil
            message.fields = message.fields.map { field in
                var field = field
                field.documentation = nil
                return field
            }
            return message
        }
        let services = pool.services.values.map { service in
            var service = service
            service.methods = service.methods.map { method in
                var method = method
                method.documentation = nil
                return method
            }
            return service
        }
        return SchemaPool(files: Array(pool.files.values), messages: messages, enums: Array(pool.enums.values), services: services)
    }

    @Test func wellKnownTypesEqualProtocs() async throws {
        let files = BuiltInProtos.wellKnownTypeFiles.sorted()
        let bytes = try await Protoc.descriptorSet(files: files, includeRoots: [])
        let fromProtoc = Self.undocumented(try FileDescriptorSetLoader().load([UInt8](bytes)))
        let parsed = Self.undocumented(try ProtoLoader().load(files: files).pool)
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
