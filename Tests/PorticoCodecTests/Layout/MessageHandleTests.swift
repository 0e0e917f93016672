import CProtobufC
import PorticoSchema
import Testing
@testable import PorticoCodec

/// Typed access through ``MessageHandle``: every kind, presence, oneof switching, repeated growth.
@Suite struct MessageHandleTests {
    @Test func singularValuesRoundTripAndPresenceFollows() throws {
        let pool = try DescriptorPool(schema: LayoutTests.proto3Pool)
        let layout = try #require(pool.message(named: "t.Sample"))
        let arena = Arena()
        defer { withExtendedLifetime(arena) {} }
        let message = MessageHandle.make(layout, in: arena)
        let id = layout.field(named: "id")!, big = layout.field(named: "big")!, flag = layout.field(named: "flag")!
        let name = layout.field(named: "name")!, far = layout.field(named: "far")!
        #expect(!message.has(id) && !message.has(name))
        message.setInt32(id, -5)
        message.setInt64(big, .min)
        message.setBool(flag, true)
        message.setString(name, "a\u{0}b é", in: arena)
        message.setDouble(far, 2.5)
        #expect(message.int32(id) == -5 && message.int64(big) == .min && message.bool(flag) && message.double(far) == 2.5)
        #expect(message.string(name) == "a\u{0}b é" && message.bytes(name).count == 6)
        #expect(message.has(id) && message.has(name))
        message.clear(name)
        #expect(!message.has(name) && message.string(name) == "")
        #expect(protobuf_c_message_check(message.cMessage) != 0)
    }

    @Test func oneofMembersReplaceEachOther() throws {
        let pool = try DescriptorPool(schema: LayoutTests.proto3Pool)
        let layout = try #require(pool.message(named: "t.Sample"))
        let arena = Arena()
        defer { withExtendedLifetime(arena) {} }
        let message = MessageHandle.make(layout, in: arena)
        let text = layout.field(named: "choice_s")!, number = layout.field(named: "choice_i")!
        let nested = layout.field(named: "choice_m")!, opt = layout.field(named: "opt")!
        message.setString(text, "x", in: arena)
        #expect(message.oneofCase(0) == 7 && message.oneofField(0)?.name == "choice_s")
        message.setInt32(number, 0)
        #expect(message.oneofCase(0) == 8 && !message.has(text) && message.has(number))
        let sub = message.mutableMessage(nested, in: arena)
        sub.setInt32(layout.field(named: "id")!, 9)
        #expect(message.oneofCase(0) == 9 && message.message(nested)?.int32(layout.field(named: "id")!) == 9)
        #expect(message.message(nested)?.pointer == sub.pointer)
        message.setInt32(opt, 0)
        #expect(message.has(opt) && message.oneofCase(1) == 10)
        message.clear(opt)
        #expect(!message.has(opt))
    }

    @Test func repeatedFieldsGrowInTheArena() throws {
        let pool = try DescriptorPool(schema: LayoutTests.proto3Pool)
        let layout = try #require(pool.message(named: "t.Sample"))
        let arena = Arena(chunkSize: 1024)
        defer { withExtendedLifetime(arena) {} }
        let message = MessageHandle.make(layout, in: arena)
        let nums = layout.field(named: "nums")!, tags = layout.field(named: "tags")!
        for value in 0..<1000 { message.appendInt32(nums, Int32(value), in: arena) }
        for value in 0..<100 { message.appendString(tags, "tag\(value)", in: arena) }
        #expect(message.count(nums) == 1000 && message.int32(nums, at: 999) == 999 && message.int32(nums, at: 0) == 0)
        #expect(message.count(tags) == 100 && message.string(tags, at: 42) == "tag42")
        let counts = layout.field(named: "counts")!
        let entry = message.appendMessage(counts, in: arena)
        entry.setString(counts.mapKey!, "k", in: arena)
        entry.setInt32(counts.mapValue!, 3)
        #expect(message.message(counts, at: 0).string(counts.mapKey!) == "k")
        #expect(protobuf_c_message_check(message.cMessage) != 0)
        arena.reset()
        #expect(arena.bytesAllocated == 0)
    }
}
