import NIOCore
import NIOHTTP1
import PorticoCore

/// The messages of a client-streaming request body: NDJSON lines (`application/x-ndjson`), or the elements of
/// a top-level JSON array (`application/json`, the default), or one JSON object as a stream of one.
///
/// A piece's position names it in errors: `line 3` or `[2]`. The same splitters cut a whole body here and a
/// body that arrives while the call runs (``UploadPump``).
enum ClientStreamBody {
    /// One message's JSON and where it was.
    struct Piece {
        var json: ByteBuffer
        /// `line 3` or `[2]`.
        var position: String
    }

    /// Whether a request's body is NDJSON (`application/x-ndjson`) rather than JSON.
    static func isNDJSON(_ headers: HTTPHeaders) -> Bool {
        headers.first(name: "content-type").map { RequestTranscoding.mediaType($0) == "application/x-ndjson" } ?? false
    }

    /// The splitter for a body, refusing pieces longer than `maxPieceBytes`.
    static func splitter(ndjson: Bool, maxPieceBytes: Int) -> any ClientStreamSplitter {
        ndjson ? NDJSONLineSplitter(maxPieceBytes: maxPieceBytes) : JSONArraySplitter(maxPieceBytes: maxPieceBytes)
    }

    /// Splits a whole `body`; `ndjson` when its content type is `application/x-ndjson`.
    ///
    /// - Throws: `INVALID_ARGUMENT` for an array with an empty element, text after its end, or no end.
    static func pieces(of body: ByteBuffer, ndjson: Bool) throws(GatewayError) -> [Piece] {
        var splitter = splitter(ndjson: ndjson, maxPieceBytes: body.readableBytes)
        return try splitter.feed(body) + splitter.finish()
    }
}

/// Cuts a client stream's body into its messages as its bytes arrive, keeping at most one unfinished piece.
protocol ClientStreamSplitter {
    /// The longest piece kept; a longer one is refused (413) before it is read to its end.
    var maxPieceBytes: Int { get }

    /// The pieces `chunk` completes.
    mutating func feed(_ chunk: ByteBuffer) throws(GatewayError) -> [ClientStreamBody.Piece]

    /// The pieces the body's end completes.
    mutating func finish() throws(GatewayError) -> [ClientStreamBody.Piece]
}
