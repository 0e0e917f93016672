import PorticoSchema
import Testing
@testable import PorticoCodec

/// Bytes a hostile or broken peer may send: each gives a ``WireError`` or a valid message, never a crash.
@Suite struct HostileInputTests {
    static let schema: SchemaPool = {
        func field(_ name: String, _ number: Int32, _ type: FieldType, repeated: Bool = false, typeName: String? = nil) -> FieldDescriptor {
            FieldDescriptor(name: name, number: number, label: repeated ? .repeated : .optional, type: type,
                            typeName: typeName, jsonName: FieldDescriptor.defaultJSONName(for: name))
        }
        let file = ProtoFile(name: "h.proto", package: "h", syntax: .proto3, dependencies: [])
        let node = MessageDescriptor(fullName: "h.Node", file: "h.proto", fields: [
            field("value", 1, .int32),
            field("child", 2, .message, typeName: "h.Node"),
            field("name", 3, .string),
            field("nums", 4, .sint64, repeated: true),
            field("named", 5, .message, repeated: true, typeName: "h.Node.NamedEntry"),
            field("blob", 6, .bytes),
            field("fixed", 7, .fixed32),
            field("real", 8, .double),
            field("children", 9, .message, repeated: true, typeName: "h.Node"),
            field("floats", 10, .float, repeated: true),
            field("late", 2000, .string),
        ])
        let entry = MessageDescriptor(fullName: "h.Node.NamedEntry", file: "h.proto",
                                      fields: [field("key", 1, .string), field("value", 2, .message, typeName: "h.Node")],
                                      isMapEntry: true)
        return SchemaPool(files: [file], messages: [node, entry])
    }()

    static func nested(depth: Int) -> [UInt8] {
        var payload: [UInt8] = [0x08, 0x01]
        for _ in 0..<depth {
            payload = [0x12] + varint(UInt64(payload.count)) + payload
        }
        return payload
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
        return out
    }

    func decode(_ bytes: [UInt8], limits: WireLimits = WireLimits()) throws(WireError) -> ProtoMessage {
        let codec = MessageCodec(pool: try DescriptorPool(schema: Self.schema), limits: limits)
        return try codec.decode(bytes, as: "h.Node")
    }

    @Test func tenThousandLevelsAreRejectedNotCrashed() throws {
        let error = #expect(throws: WireError.self) { try decode(Self.nested(depth: 10_000)) }
        #expect(error?.code == .tooDeep)
        #expect(error?.path.hasPrefix("child.child.child") == true)
    }

    @Test func depthLimitIsExactAndConfigurable() throws {
        _ = try decode(Self.nested(depth: 100))
        #expect(throws: WireError.self) { try decode(Self.nested(depth: 101)) }
        _ = try decode(Self.nested(depth: 101), limits: WireLimits(maxDepth: 101))
        #expect(throws: WireError.self) { try decode(Self.nested(depth: 5), limits: WireLimits(maxDepth: 4)) }
    }

    static let cases: [(name: String, bytes: [UInt8], code: WireError.Code, path: String)] = [
        ("truncated varint", [0x08, 0x80], .malformed, "value"),
        ("overlong varint", [0x08] + Array(repeating: 0xFF, count: 10) + [0x01], .malformed, "value"),
        ("truncated tag", [0x80], .malformed, ""),
        ("field number zero", [0x00, 0x01], .malformed, ""),
        ("length past the end", [0x1A, 0x05, 0x61], .malformed, "name"),
        ("huge length", [0x1A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F], .malformed, "name"),
        ("truncated fixed32", [0x3D, 0x01, 0x02], .malformed, "fixed"),
        ("truncated double", [0x41, 0x01], .malformed, "real"),
        ("varint for a string", [0x18, 0x01], .wrongWireType, "name"),
        ("fixed64 for an int32", [0x09, 1, 2, 3, 4, 5, 6, 7, 8], .wrongWireType, "value"),
        ("length-delimited singular int32", [0x0A, 0x01, 0x01], .wrongWireType, "value"),
        ("packed floats not a multiple of 4", [0x52, 0x03, 1, 2, 3], .malformed, "floats"),
        ("packed sint64 with a cut varint", [0x22, 0x02, 0x01, 0x80], .malformed, "nums"),
        ("invalid UTF-8", [0x1A, 0x01, 0xFF], .invalidUTF8, "name"),
        ("overlong UTF-8", [0x1A, 0x02, 0xC0, 0x80], .invalidUTF8, "name"),
        ("UTF-8 surrogate", [0x1A, 0x03, 0xED, 0xA0, 0x80], .invalidUTF8, "name"),
        ("UTF-8 above U+10FFFF", [0x1A, 0x04, 0xF4, 0x90, 0x80, 0x80], .invalidUTF8, "name"),
        ("truncated UTF-8", [0x1A, 0x02, 0xE6, 0x97], .invalidUTF8, "name"),
        ("invalid UTF-8 after 4 ASCII bytes", [0x1A, 0x05] + Array("abcd".utf8) + [0xFF], .invalidUTF8, "name"),
        ("invalid UTF-8 in the last word", [0x1A, 0x0C] + Array("abcdefghij".utf8) + [0xFF, 0x61], .invalidUTF8, "name"),
        ("invalid UTF-8 in a two-byte-tag field", [0x82, 0x7D, 0x01, 0xFF], .invalidUTF8, "late"),
        ("varint for a two-byte-tag string", [0x80, 0x7D, 0x01], .wrongWireType, "late"),
        ("length past the end, two-byte tag", [0x82, 0x7D, 0x02, 0x61], .malformed, "late"),
        ("invalid UTF-8 in a map key", [0x2A, 0x03, 0x0A, 0x01, 0xFF], .invalidUTF8, "named[0].key"),
        ("group of a known field", [0x13, 0x14], .group, "child"),
        ("group of an unknown field", [0x08, 0x01, 0xA3, 0x06, 0xA4, 0x06], .group, "field 100"),
        ("end-group alone", [0x0C], .group, "value"),
        ("wire type 6", [0x0E], .malformed, "value"),
        ("error inside a list", [0x4A, 0x00, 0x4A, 0x02, 0x08, 0x80], .malformed, "children[1].value"),
    ]

    @Test(arguments: cases.indices)
    func malformedInputGivesAClearError(_ index: Int) throws {
        let item = Self.cases[index]
        let error = #expect(throws: WireError.self, "\(item.name)") { try decode(item.bytes) }
        #expect(error?.code == item.code, "\(item.name): \(String(describing: error))")
        #expect(error?.path == item.path, "\(item.name): \(String(describing: error))")
    }

    @Test func nulInStringsSurvivesBothWays() throws {
        let codec = MessageCodec(pool: try DescriptorPool(schema: Self.schema))
        let message = ProtoMessage("h.Node", ["name": .string("a\u{0}b"), "named": .map([.string("\u{0}"): .message(ProtoMessage("h.Node"))])])
        let bytes = try codec.encode(message)
        #expect(bytes == [0x1A, 0x03, 0x61, 0x00, 0x62, 0x2A, 0x05, 0x0A, 0x01, 0x00, 0x12, 0x00])
        #expect(try codec.decode(bytes, as: "h.Node") == message)
    }

    @Test func validStringsPassEveryLengthAndAlignment() throws {
        for text in ["a", "héllo", "abcdefgh", "abcdefghé", "€uro-zone prices: 12 €", String(repeating: "ü", count: 17)] {
            let bytes = [0x1A] + Self.varint(UInt64(text.utf8.count)) + Array(text.utf8)
            #expect(try decode(bytes) == ProtoMessage("h.Node", ["name": .string(text)]))
            let late = [0x82, 0x7D] + Self.varint(UInt64(text.utf8.count)) + Array(text.utf8)
            #expect(try decode(late) == ProtoMessage("h.Node", ["late": .string(text)]))
        }
    }

    @Test func sizeLimitIsEnforced() {
        let error = #expect(throws: WireError.self) {
            try decode([0x32, 0x10] + Array(repeating: 0, count: 16), limits: WireLimits(maxMessageSize: 10))
        }
        #expect(error?.code == .tooLarge)
    }

    /// 100 000 seeded inputs: random bytes and mutations of valid messages.
    @Test func randomAndMutatedBytesNeverCrash() throws {
        let pool = try DescriptorPool(schema: Self.schema)
        let layout = try #require(pool.message(named: "h.Node"))
        let codec = MessageCodec(pool: pool)
        let seeds: [[UInt8]] = try [
            codec.encode(ProtoMessage("h.Node", [
                "value": .int32(-7), "name": .string("héllo"), "nums": .list([.int64(-1), .int64(1 << 40)]),
                "child": .message(ProtoMessage("h.Node", ["blob": .bytes([0, 1, 2]), "fixed": .uint32(9)])),
                "named": .map([.string("k"): .message(ProtoMessage("h.Node", ["real": .double(2.5)]))]),
                "children": .list([.message(ProtoMessage("h.Node", ["floats": .list([.float(1), .float(-2)])]))]),
            ])),
            Self.nested(depth: 30),
        ]
        let outcome = try FuzzLoop.run(layout: layout, seeds: seeds, iterations: 100_000, seed: 0x5EED)
        #expect(outcome.accepted > 1_000 && outcome.rejected > 50_000, "\(outcome)")
    }
}

/// Feeds random and mutated inputs to unpack; every success must pack again and decode again.
enum FuzzLoop {
    struct Outcome {
        var accepted = 0
        var rejected = 0
    }

    @discardableResult
    static func run(layout: MessageLayout, seeds: [[UInt8]], iterations: Int, seed: UInt64) throws -> Outcome {
        var random = SplitMix64(seed: seed)
        let arena = Arena()
        defer { withExtendedLifetime(arena) {} }
        var outcome = Outcome()
        for iteration in 0..<iterations {
            var input: [UInt8]
            if iteration % 2 == 0 {
                input = (0..<Int.random(in: 0...48, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            } else {
                input = seeds[Int.random(in: 0..<seeds.count, using: &random)]
                for _ in 0...Int.random(in: 0...3, using: &random) where !input.isEmpty {
                    let position = Int.random(in: 0..<input.count, using: &random)
                    switch Int.random(in: 0..<4, using: &random) {
                    case 0: input[position] = UInt8.random(in: 0...255, using: &random)
                    case 1: input.remove(at: position)
                    case 2: input.insert(UInt8.random(in: 0...255, using: &random), at: position)
                    default: input.removeLast(Int.random(in: 0...input.count - position, using: &random))
                    }
                }
            }
            do {
                let message = try input.withUnsafeBytes { raw throws(WireError) in
                    try MessageHandle.unpack(raw, as: layout, in: arena)
                }
                let repacked = message.pack()
                _ = message.read()
                _ = try repacked.withUnsafeBytes { raw throws(WireError) in
                    try MessageHandle.unpack(raw, as: layout, in: arena)
                }
                outcome.accepted += 1
            } catch {
                outcome.rejected += 1
            }
            arena.reset()
        }
        return outcome
    }
}
