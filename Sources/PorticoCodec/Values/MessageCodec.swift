import NIOCore

/// Encodes ``ProtoMessage`` values to protobuf bytes and decodes bytes to values, through protobuf-c on the
/// run-time descriptors of a ``DescriptorPool``.
///
/// Decoding runs the wire validator first (see ``WireLimits``), so hostile bytes give a ``WireError`` and
/// never reach protobuf-c unchecked. Each call uses its own arena; the codec is a value and may be shared.
public struct MessageCodec: Sendable {
    /// The descriptors messages are encoded with.
    public let pool: DescriptorPool
    /// The bounds applied when decoding.
    public var limits: WireLimits

    /// Creates a codec over a pool.
    public init(pool: DescriptorPool, limits: WireLimits = WireLimits()) {
        self.pool = pool
        self.limits = limits
    }

    /// Encodes a message as Python protobuf's `SerializeToString(deterministic=True)` does: fields in number
    /// order, map entries in upb's deterministic key order.
    ///
    /// - Throws: ``WireError`` `.unknownType` when the pool has no such message, `.invalidValue` (with the
    ///   field path) when a value does not fit its field.
    public func encode(_ message: ProtoMessage) throws(WireError) -> [UInt8] {
        let arena = Arena()
        defer { withExtendedLifetime(arena) {} }
        return try build(message, in: arena).pack()
    }

    /// Appends the encoding of a message to `buffer`; see ``encode(_:)``.
    public func encode(_ message: ProtoMessage, into buffer: inout ByteBuffer) throws(WireError) {
        let arena = Arena()
        defer { withExtendedLifetime(arena) {} }
        try build(message, in: arena).pack(into: &buffer)
    }

    /// Decodes bytes as a message of the named type.
    ///
    /// - Throws: ``WireError`` `.unknownType`, or the decoding errors of the wire validator (`.malformed`,
    ///   `.wrongWireType`, `.group`, `.invalidUTF8`, `.tooDeep`, `.tooLarge`, `.missingRequired`).
    public func decode(_ bytes: [UInt8], as typeName: String) throws(WireError) -> ProtoMessage {
        let layout = try layout(named: typeName)
        let arena = Arena()
        defer { withExtendedLifetime(arena) {} }
        let result: Result<ProtoMessage, WireError> = bytes.withUnsafeBytes { raw in
            Result { () throws(WireError) in
                try MessageHandle.unpack(raw, as: layout, in: arena, limits: limits).read()
            }
        }
        return try result.get()
    }

    /// Decodes the readable bytes of a buffer, as the `[UInt8]` variant does.
    public func decode(_ buffer: ByteBuffer, as typeName: String) throws(WireError) -> ProtoMessage {
        let layout = try layout(named: typeName)
        let arena = Arena()
        defer { withExtendedLifetime(arena) {} }
        return try MessageHandle.unpack(buffer, as: layout, in: arena, limits: limits).read()
    }

    private func build(_ message: ProtoMessage, in arena: Arena) throws(WireError) -> MessageHandle {
        let handle = MessageHandle.make(try layout(named: message.typeName), in: arena)
        try handle.write(message, in: arena)
        return handle
    }

    private func layout(named name: String) throws(WireError) -> MessageLayout {
        guard let layout = pool.message(named: name) else {
            throw WireError(.unknownType, "no message type \(name)")
        }
        return layout
    }
}
