import CProtobufC
import NIOCore

/// Packing and unpacking through protobuf-c, with Portico's safety pass in front of `unpack`.
extension MessageHandle {
    /// Decodes `bytes` as a message of `layout` into `arena`.
    ///
    /// The bytes are first checked by the wire validator (size, depth, framing, wire types, UTF-8 of strings,
    /// proto2 required fields), then handed to `protobuf_c_message_unpack` with the arena as allocator.
    /// Fields unknown to the layout are kept and written again by ``pack()``. The returned message and
    /// everything in it live in `arena`.
    ///
    /// - Throws: ``WireError`` with the field path: `.tooLarge`, `.tooDeep`, `.malformed`, `.wrongWireType`,
    ///   `.group`, `.invalidUTF8`, `.missingRequired`.
    static func unpack(
        _ bytes: UnsafeRawBufferPointer,
        as layout: MessageLayout,
        in arena: Arena,
        limits: WireLimits = WireLimits()
    ) throws(WireError) -> MessageHandle {
        try WireValidator(limits: limits).validate(bytes, as: layout)
        let data = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        let empty: [UInt8] = [0]
        let message: UnsafeMutablePointer<ProtobufCMessage>? = empty.withUnsafeBufferPointer { fallback in
            protobuf_c_message_unpack(layout.cDescriptor, arena.allocator, bytes.count, data ?? fallback.baseAddress!)
        }
        guard let message else {
            throw WireError(.malformed, "the message could not be decoded as \(layout.fullName)")
        }
        return MessageHandle(pointer: UnsafeMutableRawPointer(message), layout: layout)
    }

    /// Decodes `bytes`; see ``unpack(_:as:in:limits:)``.
    package static func unpack(
        _ bytes: [UInt8],
        as layout: MessageLayout,
        in arena: Arena,
        limits: WireLimits = WireLimits()
    ) throws(WireError) -> MessageHandle {
        let result: Result<MessageHandle, WireError> = bytes.withUnsafeBytes { raw in
            Result { () throws(WireError) in try unpack(raw, as: layout, in: arena, limits: limits) }
        }
        return try result.get()
    }

    /// Decodes the readable bytes of `buffer`; see ``unpack(_:as:in:limits:)``.
    package static func unpack(
        _ buffer: ByteBuffer,
        as layout: MessageLayout,
        in arena: Arena,
        limits: WireLimits = WireLimits()
    ) throws(WireError) -> MessageHandle {
        let result: Result<MessageHandle, WireError> = buffer.withUnsafeReadableBytes { bytes in
            Result { () throws(WireError) in try unpack(bytes, as: layout, in: arena, limits: limits) }
        }
        return try result.get()
    }

    /// The encoded size in bytes.
    package var packedSize: Int {
        protobuf_c_message_get_packed_size(cMessage)
    }

    /// Encodes the message: known fields in number order, then the unknown fields it carries.
    package func pack() -> [UInt8] {
        let size = packedSize
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = size == 0 ? 0 : protobuf_c_message_pack(cMessage, buffer.baseAddress!)
        }
    }

    /// Appends the encoded message to `buffer`.
    package func pack(into buffer: inout ByteBuffer) {
        let size = packedSize
        guard size > 0 else { return }
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { target in
            protobuf_c_message_pack(cMessage, target.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
    }
}
