import NIOCore

/// A request's protobuf workspace: messages decoded or built in it live in its arena until ``reset()``.
///
/// This is the allocation-light path for code outside the codec module (the gateway's stages, benchmarks):
/// decode bytes once, re-encode or read values, then reset the workspace for the next request. A workspace
/// belongs to one request on one event loop and is not `Sendable`. A ``WireMessage`` is valid until the
/// workspace that made it is reset; using it afterwards stops the process with a precondition failure
/// rather than reading freed memory.
public final class WireWorkspace {
    /// The descriptors messages are decoded with.
    public let pool: DescriptorPool
    /// The bounds applied when decoding.
    public let limits: WireLimits
    let arena = Arena()
    private(set) var generation = 0

    /// Creates a workspace over a pool.
    public init(pool: DescriptorPool, limits: WireLimits = WireLimits()) {
        self.pool = pool
        self.limits = limits
    }

    /// Decodes bytes as a message of the named type, as ``MessageCodec`` does.
    ///
    /// - Throws: ``WireError`` `.unknownType` and the wire validator's codes.
    public func decode(_ bytes: [UInt8], as typeName: String) throws(WireError) -> WireMessage {
        let handle = try MessageHandle.unpack(bytes, as: try layout(named: typeName), in: arena, limits: limits)
        return WireMessage(handle: handle, workspace: self)
    }

    /// Decodes the readable bytes of a buffer as a message of the named type.
    ///
    /// - Throws: ``WireError`` `.unknownType` and the wire validator's codes.
    public func decode(_ buffer: ByteBuffer, as typeName: String) throws(WireError) -> WireMessage {
        let handle = try MessageHandle.unpack(buffer, as: try layout(named: typeName), in: arena, limits: limits)
        return WireMessage(handle: handle, workspace: self)
    }

    /// Builds a message from a value.
    ///
    /// - Throws: ``WireError`` `.unknownType`, `.invalidValue` with the field path.
    public func make(_ value: ProtoMessage) throws(WireError) -> WireMessage {
        let handle = MessageHandle.make(try layout(named: value.typeName), in: arena)
        try handle.write(value, in: arena)
        return WireMessage(handle: handle, workspace: self)
    }

    /// Drops every message of the workspace at once; the memory is kept for the next request.
    public func reset() {
        arena.reset()
        generation += 1
    }

    /// The last type looked up: a request decodes and builds the same few types over and over, and comparing
    /// the name with the last one (its storage, when it is the same string) is cheaper than hashing it.
    private var lastLookup: (name: String, layout: MessageLayout)?

    private func layout(named name: String) throws(WireError) -> MessageLayout {
        if let lastLookup, lastLookup.name == name { return lastLookup.layout }
        guard let layout = pool.message(named: name) else { throw WireError(.unknownType, "no message type \(name)") }
        lastLookup = (name, layout)
        return layout
    }
}

/// A message decoded or built in a ``WireWorkspace``; valid until the workspace is reset.
public struct WireMessage {
    let handle: MessageHandle
    private let workspace: WireWorkspace
    private let generation: Int

    init(handle: MessageHandle, workspace: WireWorkspace) {
        self.handle = handle
        self.workspace = workspace
        generation = workspace.generation
    }

    private func checked() -> MessageHandle {
        precondition(workspace.generation == generation, "a WireMessage was used after its workspace was reset")
        return handle
    }

    /// The fully qualified message name.
    public var typeName: String { checked().layout.fullName }

    /// The encoded size in bytes.
    public var encodedSize: Int { checked().packedSize }

    /// Encodes the message (known fields in number order, then the unknown fields it carries).
    public func encode() -> [UInt8] { checked().pack() }

    /// Appends the encoding to a buffer.
    public func encode(into buffer: inout ByteBuffer) { checked().pack(into: &buffer) }

    /// The message as a value.
    public func value() -> ProtoMessage { checked().read() }
}
