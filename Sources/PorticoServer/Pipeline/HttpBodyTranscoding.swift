import NIOCore
import PorticoCodec
import PorticoCore

/// Converts raw HTTP bodies to and from `google.api.HttpBody` (see ``HttpBodyMapping``).
struct HttpBodyTranscoding {
    let codec: MessageCodec

    init(descriptors: DescriptorPool) {
        codec = MessageCodec(pool: descriptors)
    }

    /// The HttpBody holding `body` and its content type, encoded.
    func encode(_ body: ByteBuffer, contentType: String?) throws(GatewayError) -> ByteBuffer {
        var fields: [String: ProtoValue] = ["data": .bytes(Array(body.readableBytesView))]
        if let contentType { fields["content_type"] = .string(contentType) }
        var output = ByteBuffer()
        do {
            try codec.encode(ProtoMessage(HttpBodyMapping.typeName, fields), into: &output)
        } catch {
            throw GatewayError.internalError(cause: "HttpBody: \(error)")
        }
        return output
    }

    /// Appends `value` as the length-delimited field `number` of the message in `message`; protobuf merges a
    /// repeated singular message field, so this sets the field next to those already encoded.
    static func append(field number: Int32, value: ByteBuffer, to message: inout ByteBuffer) {
        writeVarint(UInt64(number) << 3 | 2, to: &message)
        writeVarint(UInt64(value.readableBytes), to: &message)
        message.writeImmutableBuffer(value)
    }

    /// The content type and data of the HttpBody in a reply: the whole message, or its `responseField`.
    ///
    /// - Throws: `INTERNAL` (source upstream) when the reply is not a valid message.
    func decode(_ reply: ByteBuffer, message: String, responseField: String?) throws(GatewayError) -> (contentType: String?, data: ByteBuffer) {
        var body: ProtoMessage
        do {
            body = try codec.decode(reply, as: message)
        } catch {
            throw error.gatewayError(source: .upstream)
        }
        if let responseField {
            guard case .message(let field)? = body[responseField] else { return (nil, ByteBuffer()) }
            body = field
        }
        let contentType: String? = if case .string(let text)? = body["content_type"], !text.isEmpty { text } else { nil }
        let data: ByteBuffer = if case .bytes(let bytes)? = body["data"] { ByteBuffer(bytes: bytes) } else { ByteBuffer() }
        return (contentType, data)
    }

    private static func writeVarint(_ value: UInt64, to buffer: inout ByteBuffer) {
        var value = value
        while value >= 0x80 {
            buffer.writeInteger(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        buffer.writeInteger(UInt8(value))
    }
}
