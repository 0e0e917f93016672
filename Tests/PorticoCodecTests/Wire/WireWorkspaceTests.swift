import NIOCore
import Testing
@testable import PorticoCodec

/// The request-scoped workspace: decode, re-encode, read values, reset and reuse.
@Suite struct WireWorkspaceTests {
    @Test func decodeEncodeAndResetReuseTheArena() throws {
        let pool = try DescriptorPool(schema: HostileInputTests.schema)
        let workspace = WireWorkspace(pool: pool)
        let value = ProtoMessage("h.Node", ["value": .int32(3), "name": .string("n"), "children": .list([.message(ProtoMessage("h.Node"))])])
        let built = try workspace.make(value)
        let bytes = built.encode()
        #expect(built.encodedSize == bytes.count && built.typeName == "h.Node")
        var buffer = ByteBuffer()
        try workspace.decode(bytes, as: "h.Node").encode(into: &buffer)
        #expect(Array(buffer.readableBytesView) == bytes)
        #expect(try workspace.decode(buffer, as: "h.Node").value() == value)
        let used = workspace.arena.bytesAllocated
        workspace.reset()
        #expect(workspace.arena.bytesAllocated == 0)
        _ = try workspace.decode(bytes, as: "h.Node")
        #expect(workspace.arena.bytesAllocated < used)
        #expect(throws: WireError.self) { try workspace.decode(bytes, as: "h.Missing") }
    }
}
