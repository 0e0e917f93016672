import NIOCore
import PorticoCore
@testable import PorticoServer
import Testing

/// The client-stream splitters cut a body into the same messages whatever its chunking, and name the piece
/// an error is in.
struct ClientStreamSplitterTests {
    /// Feeds `body` in chunks of `size` bytes and returns the pieces, or the error's message.
    private static func split(_ body: String, ndjson: Bool = false, chunk size: Int, max: Int = 1 << 20) -> Result<[String], GatewayError> {
        var splitter = ClientStreamBody.splitter(ndjson: ndjson, maxPieceBytes: max)
        var pieces: [ClientStreamBody.Piece] = []
        let bytes = Array(body.utf8)
        do throws(GatewayError) {
            for start in stride(from: 0, to: bytes.count, by: size) {
                pieces += try splitter.feed(ByteBuffer(bytes: bytes[start..<min(start + size, bytes.count)]))
            }
            pieces += try splitter.finish()
            return .success(pieces.map { "\($0.position) \(String(buffer: $0.json))" })
        } catch {
            return .failure(error)
        }
    }

    @Test func anArrayIsCutTheSameWayWhateverItsChunks() throws {
        let body = #" [ {"a":"x,]}\"[" , "b":[1,{"c":2}]} ,7, "s" ,[ ] , {}] "#
        let expected = [#"[0] {"a":"x,]}\"[" , "b":[1,{"c":2}]}"#, "[1] 7", #"[2] "s""#, "[3] [ ]", "[4] {}"]
        for size in [1, 2, 3, 7, 64] {
            #expect(try Self.split(body, chunk: size).get() == expected, "chunks of \(size)")
        }
    }

    @Test func oneValueIsAStreamOfOneAndAnEmptyBodyOfNone() throws {
        #expect(try Self.split(#" {"a":1} "#, chunk: 2).get() == [#"[0] {"a":1}"#])
        #expect(try Self.split("  ", chunk: 1).get() == [])
        #expect(try Self.split("[ ]", chunk: 1).get() == [])
    }

    @Test func malformedArraysNameThePieceAtFault() {
        let cases = [
            ("[{},,{}]", "[1]: expected a JSON value"),
            ("[{} {}]", "[0]: expected ',' or ']' after the value"),
            ("[1,]", "[1]: expected a JSON value"),
            (#"[{"a":1}"#, "the request body is not a complete JSON array"),
            ("[{}] x", "unexpected text after the JSON array of messages"),
        ]
        for (body, message) in cases {
            for size in [1, 64] {
                guard case .failure(let error) = Self.split(body, chunk: size) else {
                    Issue.record("\(body) was accepted")
                    continue
                }
                #expect(error.message == message, "\(body) in chunks of \(size)")
            }
        }
    }

    @Test func aPieceLongerThanTheLimitIsRefusedBeforeItEnds() {
        guard case .failure(let element) = Self.split(#"[{"a":"0123456789"}]"#, chunk: 4, max: 10) else {
            Issue.record("a long element was accepted")
            return
        }
        #expect(element.httpStatus == 413)
        #expect(element.message == "[0] is longer than 10 bytes")
        guard case .failure(let line) = Self.split("{}\n{\"a\":\"0123456789\"}\n", ndjson: true, chunk: 4, max: 10) else {
            Issue.record("a long line was accepted")
            return
        }
        #expect(line.message == "line 2 is longer than 10 bytes")
    }

    @Test func ndjsonLinesSkipBlanksAndKeepTheirNumbers() throws {
        let body = "{\"a\":1}\r\n\n  \n{\"b\":2}\n{\"c\":3}"
        for size in [1, 5, 64] {
            #expect(try Self.split(body, ndjson: true, chunk: size).get() == [#"line 1 {"a":1}"#, #"line 4 {"b":2}"#, #"line 5 {"c":3}"#])
        }
    }
}
