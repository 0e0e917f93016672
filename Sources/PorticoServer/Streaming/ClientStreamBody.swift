import NIOCore
import PorticoCore

/// The messages of a client-streaming request body: NDJSON lines (`application/x-ndjson`), or the elements of
/// a top-level JSON array (`application/json`, the default), or one JSON object as a stream of one.
///
/// Only the boundaries are found here (strings and nesting are followed, so commas and newlines inside them
/// do not split); each piece is then read by the JSON transcoder, which checks it whole. A piece's position
/// names it in errors: `line 3` or `[2]`.
enum ClientStreamBody {
    /// One message's JSON and where it was.
    struct Piece {
        var json: ByteBuffer
        /// `line 3` or `[2]`.
        var position: String
    }

    /// Splits `body`; `ndjson` when its content type is `application/x-ndjson`.
    ///
    /// - Throws: `INVALID_ARGUMENT` for a body that is neither an array, an object, nor NDJSON, or an array
    ///   with an empty element or text after its end.
    static func pieces(of body: ByteBuffer, ndjson: Bool) throws(GatewayError) -> [Piece] {
        let bytes = body.readableBytesView
        if ndjson { return lines(of: body) }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }) else { return [] }
        guard bytes[first] == UInt8(ascii: "[") else {
            return [Piece(json: body, position: "[0]")]
        }
        var pieces: [Piece] = []
        var depth = 0
        var inString = false
        var escaped = false
        var start = bytes.index(after: first)
        var index = start
        var closed = false
        while index < bytes.endIndex {
            let byte = bytes[index]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""):
                    inString = true
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    depth += 1
                case UInt8(ascii: "]") where depth == 0, UInt8(ascii: ",") where depth == 0:
                    let piece = trimmed(bytes, start..<index)
                    let isEnd = byte == UInt8(ascii: "]")
                    if piece.isEmpty {
                        guard isEnd, pieces.isEmpty else {
                            throw .invalidArgument("[\(pieces.count)]: expected a JSON value")
                        }
                    } else {
                        pieces.append(Piece(json: ByteBuffer(bytes: bytes[piece]), position: "[\(pieces.count)]"))
                    }
                    start = bytes.index(after: index)
                    closed = isEnd
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    depth -= 1
                default:
                    break
                }
            }
            index = bytes.index(after: index)
            if closed { break }
        }
        guard closed else { throw .invalidArgument("the request body is not a complete JSON array") }
        guard bytes[index...].allSatisfy(isSpace) else {
            throw .invalidArgument("unexpected text after the JSON array of messages")
        }
        return pieces
    }

    /// The non-blank lines of an NDJSON body, cut as an upload's are.
    private static func lines(of body: ByteBuffer) -> [Piece] {
        var splitter = NDJSONLineSplitter(maxLineBytes: body.readableBytes)
        var lines = (try? splitter.feed(body)) ?? []  // no line is longer than the body: feed cannot refuse one
        if let last = splitter.finish() { lines.append(last) }
        return lines.map { Piece(json: $0.line, position: "line \($0.number)") }
    }

    private static func trimmed(_ bytes: ByteBufferView, _ range: Range<ByteBufferView.Index>) -> Range<ByteBufferView.Index> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, isSpace(bytes[lower]) { lower = bytes.index(after: lower) }
        while upper > lower, isSpace(bytes[bytes.index(before: upper)]) { upper = bytes.index(before: upper) }
        return lower..<upper
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}
