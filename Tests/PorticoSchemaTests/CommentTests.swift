import PorticoSchema
import Testing

/// Leading comments become the documentation of messages, fields and methods, as protoc's
/// `SourceCodeInfo.leading_comments` defines them.
@Suite struct CommentTests {
    static let source = """
        syntax = "proto3";
        package docs.v1;

        // Detached: a blank line separates it from the service.

        // Looks things up.
        service Lookup {
          // Finds one thing.
          // Second line.
          rpc Find(Thing) returns (Thing);
          rpc Plain(Thing) returns (Thing); // trailing, not leading
        }

        /*
         * A thing,
         * in a block comment.
         */
        message Thing {
          string id = 1; // trailing of id
          // The name.
          string name = 2;
          map<string, string> labels = 3;
          // Its parts.
          repeated Thing parts = 4;
        }
        """

    @Test func leadingCommentsDocumentTheirDeclarations() throws {
        let pool = try ProtoLoader(sources: ["docs.proto": Self.source]).load(files: ["docs.proto"]).pool
        let thing = try #require(pool.messages["docs.v1.Thing"])
        #expect(thing.documentation == "A thing,\nin a block comment.")
        #expect(thing.fields.map(\.documentation) == [nil, "The name.", nil, "Its parts."])
        let methods = try #require(pool.services["docs.v1.Lookup"]).methods
        #expect(methods.first { $0.name == "Find" }?.documentation == "Finds one thing.\nSecond line.")
        #expect(methods.first { $0.name == "Plain" }?.documentation == nil, "a comment after the method on its line is trailing")
    }
}
