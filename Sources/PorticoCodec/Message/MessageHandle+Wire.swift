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

    /// Encodings up to this size are packed on the stack and copied into the result.
    private static var stackPackLimit: Int { 1024 }

    /// The encoded size in bytes.
    package var packedSize: Int {
        protobuf_c_message_get_packed_size(cMessage)
    }

    /// Encodes the message: known fields in number order, then the unknown fields it carries.
    package func pack() -> [UInt8] {
        let size = packedSize
        if size <= Self.stackPackLimit {
            // `[UInt8](unsafeUninitializedCapacity:)` looks up the array's generic metadata at run time on
            // every call (several hundred instructions, as much as packing a small message); copying from the
            // stack goes through a specialised path. Above the limit the copy would cost more than it saves.
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(size, 1)) { buffer in
                let count = size == 0 ? 0 : protobuf_c_message_pack(cMessage, buffer.baseAddress!)
                return Array(UnsafeBufferPointer(rebasing: buffer[..<count]))
            }
        }
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
