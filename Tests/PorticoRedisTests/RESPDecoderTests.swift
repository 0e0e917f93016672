import NIOCore
import PorticoRedis
import Testing

/// The RESP2 decoder: every reply type, replies split at every byte, nesting, and the bounds that keep a
/// misbehaving server from growing memory.
@Suite struct RESPDecoderTests {
    static let replies: [(wire: String, value: RESPValue)] = [
        ("+OK\r\n", .simpleString("OK")),
        ("-ERR unknown command\r\n", .error("ERR unknown command")),
        (":42\r\n", .integer(42)),
        (":-7\r\n", .integer(-7)),
        ("$5\r\nhello\r\n", .bulkString(ByteBuffer(string: "hello"))),
        ("$0\r\n\r\n", .bulkString(ByteBuffer())),
        ("$-1\r\n", .bulkString(nil)),
        ("$4\r\na\r\nb\r\n", .bulkString(ByteBuffer(string: "a\r\nb"))),
        ("*0\r\n", .array([])),
        ("*-1\r\n", .array(nil)),
        ("*3\r\n:1\r\n+two\r\n$5\r\nthree\r\n", .array([.integer(1), .simpleString("two"), .bulkString(ByteBuffer(string: "three"))])),
        ("*2\r\n*2\r\n:1\r\n:2\r\n*1\r\n*1\r\n-ERR deep\r\n", .array([.array([.integer(1), .integer(2)]), .array([.array([.error("ERR deep")])])])),
    ]

    @Test(arguments: replies.indices)
    func decodesEachReplyWholeAndByteByByte(_ index: Int) throws {
        let (wire, expected) = Self.replies[index]
        var whole = ByteBuffer(string: wire + "+NEXT\r\n")
        #expect(try RESPDecoder().decode(&whole) == expected)
        #expect(try RESPDecoder().decode(&whole) == .simpleString("NEXT"), "the reply's bytes, and no more, are consumed")

        var partial = ByteBuffer()
        var decoded: [RESPValue] = []
        for byte in wire.utf8 {
            partial.writeInteger(byte)
            let before = partial.readerIndex
            if let value = try RESPDecoder().decode(&partial) {
                decoded.append(value)
            } else {
                #expect(partial.readerIndex == before, "an incomplete reply consumes nothing")
            }
        }
        #expect(decoded == [expected], "the reply is decoded once, when its last byte arrives")
        #expect(partial.readableBytes == 0)
    }

    static let malformed = ["?x\r\n", ":12a\r\n", "$abc\r\n", "$3\r\nabcXY", "*x\r\n", "+OK\n"]

    @Test(arguments: malformed)
    func malformedRepliesAreProtocolErrors(_ wire: String) {
        var buffer = ByteBuffer(string: wire)
        #expect(throws: RedisError.self) { try RESPDecoder().decode(&buffer) }
    }

    @Test func repliesBeyondTheBoundsAreRefusedBeforeTheyArrive() throws {
        let decoder = RESPDecoder(maxReplyBytes: 64, maxElements: 4, maxDepth: 2)
        var declaredHuge = ByteBuffer(string: "$1000000000\r\n")
        #expect(throws: RedisError(.protocolError, "a reply exceeds the configured size limit")) { try decoder.decode(&declaredHuge) }

        var endlessLine = ByteBuffer(string: "+" + String(repeating: "a", count: 100))
        #expect(throws: RedisError.self, "a line with no end beyond the bound is refused, not buffered") { try decoder.decode(&endlessLine) }

        var manySmall = ByteBuffer(string: "*4\r\n" + String(repeating: "$20\r\n\(String(repeating: "x", count: 20))\r\n", count: 3))
        #expect(throws: RedisError.self, "the bound is on the whole reply, not one element") { try decoder.decode(&manySmall) }

        var tooMany = ByteBuffer(string: "*5\r\n")
        #expect(throws: RedisError(.protocolError, "an array exceeds the configured element limit")) { try decoder.decode(&tooMany) }

        var tooDeep = ByteBuffer(string: "*1\r\n*1\r\n*1\r\n:1\r\n")
        #expect(throws: RedisError(.protocolError, "arrays nest deeper than the configured limit")) { try decoder.decode(&tooDeep) }

        var withinBounds = ByteBuffer(string: "*1\r\n*1\r\n:1\r\n")
        #expect(try decoder.decode(&withinBounds) == .array([.array([.integer(1)])]))
    }

    @Test func commandsAreArraysOfBulkStrings() {
        var buffer = ByteBuffer()
        RESPEncoder.encode(["SET", "käy", ""], into: &buffer)
        #expect(String(buffer: buffer) == "*3\r\n$3\r\nSET\r\n$4\r\nkäy\r\n$0\r\n\r\n")
    }
}
