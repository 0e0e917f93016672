import NIOCore
import PorticoCore

/// Cuts a JSON body of client-stream messages into its messages as its bytes arrive: the elements of a
/// top-level array, or one value as a stream of one. It keeps at most one unfinished element.
///
/// Only the boundaries are found here (strings and nesting are followed, so a comma or bracket inside them
/// does not split); each element is then read by the JSON transcoder, which checks it whole. An object or
/// array element is complete at its closing bracket, before the comma that follows it arrives, so a
/// bidirectional call answers an element while the client waits to send the next; a scalar element ends at its
/// comma or at the array's end.
struct JSONArraySplitter: ClientStreamSplitter {
    /// The longest element kept; a longer one is refused before it is read to its end.
    let maxPieceBytes: Int
    private enum Phase {
        /// Before the body's first byte that is not a space.
        case start
        /// Inside the top-level array.
        case array
        /// The body is one value, not an array.
        case single
        /// After the array's closing bracket: only spaces may follow.
        case ended
    }

    private var phase = Phase.start
    private var element = ByteBuffer()
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// Whether the last element ended at its closing bracket and only spaces may come before the next comma.
    private var awaitsComma = false
    /// The index of the element ``element`` belongs to.
    private var index = 0

    init(maxPieceBytes: Int) {
        self.maxPieceBytes = maxPieceBytes
    }

    /// The elements `chunk` completes.
    ///
    /// - Throws: `INVALID_ARGUMENT` for an empty element or text after the array, `RESOURCE_EXHAUSTED` (413)
    ///   for an element longer than ``maxPieceBytes``.
    mutating func feed(_ chunk: ByteBuffer) throws(GatewayError) -> [ClientStreamBody.Piece] {
        let bytes = chunk.readableBytesView
        var position = bytes.startIndex
        if case .start = phase {
            guard let first = bytes.firstIndex(where: { !Self.isSpace($0) }) else { return [] }
            if bytes[first] == UInt8(ascii: "[") {
                phase = .array
                position = bytes.index(after: first)
            } else {
                phase = .single
                position = first
            }
        }
        switch phase {
        case .start:
            return []
        case .single:
            try keep(bytes[position...])
            return []
        case .ended:
            try checkTrailing(bytes[position...])
            return []
        case .array:
            return try scanArray(bytes, from: position)
        }
    }

    /// The last message: the body's one value when it is not an array.
    ///
    /// - Throws: `INVALID_ARGUMENT` for an array that is not closed.
    mutating func finish() throws(GatewayError) -> [ClientStreamBody.Piece] {
        switch phase {
        case .start, .ended:
            return []
        case .array:
            throw .invalidArgument("the request body is not a complete JSON array")
        case .single:
            defer { element.clear() }
            return Self.trimmed(element).map { [ClientStreamBody.Piece(json: $0, position: "[0]")] } ?? []
        }
    }

    private mutating func scanArray(_ bytes: ByteBufferView, from start: ByteBufferView.Index) throws(GatewayError) -> [ClientStreamBody.Piece] {
        var pieces: [ClientStreamBody.Piece] = []
        var segmentStart = start
        var position = start
        while position < bytes.endIndex {
            let byte = bytes[position]
            position = bytes.index(after: position)
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            if awaitsComma {
                switch byte {
                case UInt8(ascii: ","):
                    awaitsComma = false
                    segmentStart = position
                case UInt8(ascii: "]"):
                    phase = .ended
                    try checkTrailing(bytes[position...])
                    return pieces
                case _ where Self.isSpace(byte):
                    break
                default:
                    throw .invalidArgument("[\(index - 1)]: expected ',' or ']' after the value")
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
            case UInt8(ascii: "]") where depth == 0, UInt8(ascii: ",") where depth == 0:
                try keep(bytes[segmentStart..<bytes.index(before: position)])
                segmentStart = position
                let isEnd = byte == UInt8(ascii: "]")
                if let piece = Self.trimmed(element) {
                    pieces.append(ClientStreamBody.Piece(json: piece, position: "[\(index)]"))
                    index += 1
                } else if !isEnd || index > 0 {
                    throw .invalidArgument("[\(index)]: expected a JSON value")
                }
                element = ByteBuffer()
                if isEnd {
                    phase = .ended
                    try checkTrailing(bytes[position...])
                    return pieces
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
                guard depth == 0 else { break }
                try keep(bytes[segmentStart..<position])
                segmentStart = position
                pieces.append(ClientStreamBody.Piece(json: Self.trimmed(element) ?? element, position: "[\(index)]"))
                index += 1
                element = ByteBuffer()
                awaitsComma = true
            default:
                break
            }
        }
        if !awaitsComma { try keep(bytes[segmentStart...]) }
        return pieces
    }

    /// Adds bytes to the unfinished element, refusing one that grows past ``maxPieceBytes``.
    private mutating func keep(_ bytes: ByteBufferView.SubSequence) throws(GatewayError) {
        guard element.readableBytes + bytes.count <= maxPieceBytes else {
            throw GatewayError(
                code: .resourceExhausted, message: "[\(index)] is longer than \(maxPieceBytes) bytes", source: .client, httpStatus: 413
            )
        }
        element.writeBytes(bytes)
    }

    private func checkTrailing(_ bytes: ByteBufferView.SubSequence) throws(GatewayError) {
        guard bytes.allSatisfy(Self.isSpace) else {
            throw .invalidArgument("unexpected text after the JSON array of messages")
        }
    }

    /// `bytes` without surrounding JSON whitespace; `nil` when nothing is left.
    private static func trimmed(_ bytes: ByteBuffer) -> ByteBuffer? {
        let view = bytes.readableBytesView
        guard let first = view.firstIndex(where: { !isSpace($0) }), let last = view.lastIndex(where: { !isSpace($0) }) else { return nil }
        return bytes.getSlice(at: first, length: last - first + 1)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}
