import NIOCore
import PorticoCore

/// Cuts an NDJSON body into its non-blank lines as its bytes arrive, keeping at most one unfinished line.
struct NDJSONLineSplitter: ClientStreamSplitter {
    /// The longest line kept; a longer one is refused before it is read to its end.
    let maxPieceBytes: Int
    private var partial = ByteBuffer()
    /// The number of the line ``partial`` belongs to.
    private(set) var lineNumber = 1

    init(maxPieceBytes: Int) {
        self.maxPieceBytes = maxPieceBytes
    }

    /// The lines `chunk` completes, each named by its number.
    ///
    /// - Throws: `RESOURCE_EXHAUSTED` (413) for a line longer than ``maxPieceBytes``.
    mutating func feed(_ chunk: ByteBuffer) throws(GatewayError) -> [ClientStreamBody.Piece] {
        var chunk = chunk
        var lines: [ClientStreamBody.Piece] = []
        while let newline = chunk.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - chunk.readerIndex
            guard partial.readableBytes + length <= maxPieceBytes else { throw tooLong() }
            var piece = chunk.readSlice(length: length)!
            chunk.moveReaderIndex(forwardBy: 1)
            partial.writeBuffer(&piece)
            if let line = Self.trimmed(partial) { lines.append(ClientStreamBody.Piece(json: line, position: "line \(lineNumber)")) }
            partial.clear()
            lineNumber += 1
        }
        guard partial.readableBytes + chunk.readableBytes <= maxPieceBytes else { throw tooLong() }
        partial.writeBuffer(&chunk)
        return lines
    }

    /// The last line, when the body does not end with a newline.
    mutating func finish() -> [ClientStreamBody.Piece] {
        defer { partial.clear() }
        return Self.trimmed(partial).map { [ClientStreamBody.Piece(json: $0, position: "line \(lineNumber)")] } ?? []
    }

    private func tooLong() -> GatewayError {
        GatewayError(
            code: .resourceExhausted, message: "line \(lineNumber) is longer than \(maxPieceBytes) bytes", source: .client, httpStatus: 413
        )
    }

    /// `line` without surrounding spaces, tabs and carriage returns; `nil` when nothing is left.
    private static func trimmed(_ line: ByteBuffer) -> ByteBuffer? {
        let bytes = line.readableBytesView
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else { return nil }
        return line.getSlice(at: first, length: last - first + 1)
    }
}
