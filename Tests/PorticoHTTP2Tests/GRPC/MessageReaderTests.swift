import NIOCore
import PorticoCore
import Testing

@testable import PorticoHTTP2

@Suite("Length-prefixed message reassembly")
struct MessageReaderTests {
    private static let allocator = ByteBufferAllocator()

    private static func framed(_ payloads: [[UInt8]], flag: UInt8 = 0) -> ByteBuffer {
        var buffer = ByteBuffer()
        for payload in payloads {
            buffer.writeInteger(flag)
            buffer.writeInteger(UInt32(payload.count))
            buffer.writeBytes(payload)
        }
        return buffer
    }

    private static func read(_ chunks: [ByteBuffer], limit: Int = 1024, encoding: GRPCMessageReader.Encoding = .identity) throws(GRPCStatus) -> [[UInt8]] {
        var reader = GRPCMessageReader(maximumMessageSize: limit)
        reader.encoding = encoding
        var messages: [[UInt8]] = []
        for chunk in chunks {
            reader.append(chunk)
            while let message = try reader.next(allocator: allocator) { messages.append(Array(message.bytes.readableBytesView)) }
        }
        return messages
    }

    @Test("messages split at every byte boundary and joined in one chunk come out whole", arguments: 1...12)
    func splitAnywhere(chunkSize: Int) throws {
        let payloads: [[UInt8]] = [[1, 2, 3], [], [4, 5, 6, 7, 8, 9, 10]]
        let whole = Self.framed(payloads)
        var chunks: [ByteBuffer] = []
        var rest = whole
        while rest.readableBytes > 0 { chunks.append(rest.readSlice(length: min(chunkSize, rest.readableBytes))!) }
        #expect(try Self.read(chunks) == payloads)
    }

    @Test("a message over the limit is RESOURCE_EXHAUSTED before its body arrives")
    func tooLarge() {
        var prefix = ByteBuffer()
        prefix.writeInteger(UInt8(0))
        prefix.writeInteger(UInt32(2000))
        #expect(throws: GRPCStatus.self) { try Self.read([prefix]) }
        do {
            _ = try Self.read([prefix])
        } catch {
            #expect(error.code == .resourceExhausted)
        }
    }

    @Test("bad flags and compressed messages without an encoding are INTERNAL")
    func badFlags() {
        for (flag, encoding) in [(UInt8(2), GRPCMessageReader.Encoding.identity), (1, .identity), (1, .unsupported("snappy"))] {
            do {
                _ = try Self.read([Self.framed([[1]], flag: flag)], encoding: encoding)
                Issue.record("flag \(flag) with \(encoding) was accepted")
            } catch {
                #expect(error.code == .internal)
            }
        }
    }

    @Test("gzip and deflate messages are inflated; corrupt or oversized ones are rejected")
    func compressed() throws {
        let gzip: [UInt8] = [31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 203, 72, 205, 201, 201, 87, 72, 175, 202, 44, 0, 0, 25, 106, 210, 223, 10, 0, 0, 0]
        let deflate: [UInt8] = [120, 156, 203, 72, 205, 201, 201, 87, 72, 73, 77, 203, 73, 44, 73, 5, 0, 35, 12, 5, 10]
        #expect(try Self.read([Self.framed([gzip, gzip], flag: 1)], encoding: .gzip) == [Array("hello gzip".utf8), Array("hello gzip".utf8)])
        #expect(try Self.read([Self.framed([deflate], flag: 1)], encoding: .deflate) == [Array("hello deflate".utf8)])
        do {
            _ = try Self.read([Self.framed([Array(gzip.dropLast(4))], flag: 1)], encoding: .gzip)
            Issue.record("truncated gzip was accepted")
        } catch {
            #expect(error.code == .internal)
        }
        do {
            _ = try Self.read([Self.framed([gzip], flag: 1)], limit: 5, encoding: .gzip)
            Issue.record("oversized inflated message was accepted")
        } catch {
            #expect(error.code == .resourceExhausted)
        }
    }
}
