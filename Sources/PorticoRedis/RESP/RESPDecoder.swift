public import NIOCore

/// Decodes RESP2 replies from the bytes a connection has received, one whole reply at a time.
///
/// Pure and bounded: a reply is returned only once all of its bytes are there (the reader index does not
/// move before), and a reply that declares, or grows to, more than ``maxReplyBytes`` bytes, more than
/// ``maxElements`` elements or arrays nested deeper than ``maxDepth`` is a protocol error at once, so a
/// misbehaving server can never make the client buffer without bound.
public struct RESPDecoder: Sendable {
    /// The most bytes one reply may take on the wire.
    public var maxReplyBytes: Int
    /// The most elements of one array.
    public var maxElements: Int
    /// The deepest nesting of arrays.
    public var maxDepth: Int

    public init(maxReplyBytes: Int = 1 << 20, maxElements: Int = 1024, maxDepth: Int = 8) {
        self.maxReplyBytes = maxReplyBytes
        self.maxElements = maxElements
        self.maxDepth = maxDepth
    }

    /// The next whole reply in `buffer`, consumed; `nil`, with `buffer` untouched, when more bytes are needed.
    ///
    /// - Throws: ``RedisError`` with code `protocolError` for malformed or oversized replies.
    public func decode(_ buffer: inout ByteBuffer) throws(RedisError) -> RESPValue? {
        var cursor = buffer
        guard let value = try parse(&cursor, depth: 0, start: buffer.readerIndex) else {
            if buffer.readableBytes > maxReplyBytes { throw Self.oversized }
            return nil
        }
        buffer.moveReaderIndex(to: cursor.readerIndex)
        return value
    }

    private static let oversized = RedisError(.protocolError, "a reply exceeds the configured size limit")

    private func parse(_ cursor: inout ByteBuffer, depth: Int, start: Int) throws(RedisError) -> RESPValue? {
        guard let marker = cursor.readInteger(as: UInt8.self) else { return nil }
        guard let line = try readLine(&cursor, start: start) else { return nil }
        switch marker {
        case UInt8(ascii: "+"):
            return .simpleString(line)
        case UInt8(ascii: "-"):
            return .error(line)
        case UInt8(ascii: ":"):
            guard let value = Int64(line) else { throw RedisError(.protocolError, "an integer reply is not a number") }
            return .integer(value)
        case UInt8(ascii: "$"):
            guard let length = Int(line), length >= -1 else { throw RedisError(.protocolError, "a bulk length is not a number") }
            if length == -1 { return .bulkString(nil) }
            guard cursor.readerIndex - start + length + 2 <= maxReplyBytes else { throw Self.oversized }
            guard cursor.readableBytes >= length + 2 else { return nil }
            let bytes = cursor.readSlice(length: length)
            guard cursor.readBytes(length: 2) == [13, 10] else { throw RedisError(.protocolError, "a bulk string does not end in CRLF") }
            return .bulkString(bytes)
        case UInt8(ascii: "*"):
            guard let count = Int(line), count >= -1 else { throw RedisError(.protocolError, "an array length is not a number") }
            if count == -1 { return .array(nil) }
            guard count <= maxElements else { throw RedisError(.protocolError, "an array exceeds the configured element limit") }
            guard depth < maxDepth else { throw RedisError(.protocolError, "arrays nest deeper than the configured limit") }
            var elements: [RESPValue] = []
            elements.reserveCapacity(count)
            for _ in 0..<count {
                guard let element = try parse(&cursor, depth: depth + 1, start: start) else { return nil }
                elements.append(element)
            }
            return .array(elements)
        default:
            throw RedisError(.protocolError, "unknown reply type byte \(marker)")
        }
    }

    /// The text up to the next CRLF, consumed with it; `nil` when the CRLF has not arrived.
    private func readLine(_ cursor: inout ByteBuffer, start: Int) throws(RedisError) -> String? {
        let view = cursor.readableBytesView
        guard let newline = view.firstIndex(of: 10) else {
            if cursor.readerIndex - start + view.count > maxReplyBytes { throw Self.oversized }
            return nil
        }
        guard newline > view.startIndex, view[newline - 1] == 13 else { throw RedisError(.protocolError, "a line does not end in CRLF") }
        if newline - start > maxReplyBytes { throw Self.oversized }
        let line = cursor.readString(length: newline - 1 - view.startIndex) ?? ""
        cursor.moveReaderIndex(forwardBy: 2)
        return line
    }
}
