import CProtobufC
import PorticoSchema
import Testing
@testable import PorticoCodec

/// Offsets, sizes, field ranges and oneof unions of run-time descriptors, on hand-written schemas.
@Suite struct LayoutTests {
    static func field(_ name: String, _ number: Int32, _ type: FieldType, label: FieldDescriptor.Label = .optional,
                      typeName: String? = nil, oneof: Int? = nil, proto3Optional: Bool = false,
                      defaultValue: String? = nil, packed: Bool? = nil) -> FieldDescriptor {
        FieldDescriptor(name: name, number: number, label: label, type: type, typeName: typeName,
                        jsonName: FieldDescriptor.defaultJSONName(for: name), oneofIndex: oneof,
                        isProto3Optional: proto3Optional, defaultValue: defaultValue, packedOption: packed)
    }

    static let proto3Pool: SchemaPool = {
        let file = ProtoFile(name: "t/a.proto", package: "t", syntax: .proto3, dependencies: [])
        let sample = MessageDescriptor(
            fullName: "t.Sample", file: "t/a.proto",
            fields: [
                field("flag", 3, .bool),
                field("id", 1, .int32),
                field("big", 2, .int64),
                field("name", 4, .string),
                field("tags", 5, .string, label: .repeated),
                field("nums", 6, .int32, label: .repeated),
                field("choice_s", 7, .string, oneof: 0),
                field("choice_i", 8, .int32, oneof: 0),
                field("choice_m", 9, .message, typeName: "t.Sample", oneof: 0),
                field("opt", 10, .int32, oneof: 1, proto3Optional: true),
                field("far", 1000, .double),
                field("color", 11, .enum, typeName: "t.Color"),
                field("counts", 12, .message, label: .repeated, typeName: "t.Sample.CountsEntry"),
                field("unpacked", 13, .int32, label: .repeated, packed: false),
            ],
            oneofs: [.init(name: "choice"), .init(name: "_opt", isSynthetic: true)]
        )
        let entry = MessageDescriptor(
            fullName: "t.Sample.CountsEntry", file: "t/a.proto",
            fields: [field("key", 1, .string), field("value", 2, .int32)], isMapEntry: true
        )
        let color = EnumDescriptor(fullName: "t.Color", file: "t/a.proto",
                                   values: [.init(name: "RED", number: 0), .init(name: "BLUE", number: 5),
                                            .init(name: "AZURE", number: 5), .init(name: "GREEN", number: 2)],
                                   allowAlias: true)
        return SchemaPool(files: [file], messages: [sample, entry], enums: [color])
    }()

    @Test func fieldsSortedWithRangesAndSentinel() throws {
        let pool = try DescriptorPool(schema: Self.proto3Pool)
        let layout = try #require(pool.message(named: "t.Sample"))
        #expect(layout.fields.map(\.number) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 1000])
        let c = layout.cDescriptor.pointee
        #expect(c.magic == UInt32(PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC))
        #expect(c.n_fields == 14)
        #expect(c.n_field_ranges == 2)
        #expect(c.field_ranges[0].start_value == 1 && c.field_ranges[0].orig_index == 0)
        #expect(c.field_ranges[1].start_value == 1000 && c.field_ranges[1].orig_index == 13)
        #expect(c.field_ranges[2].start_value == 0 && c.field_ranges[2].orig_index == 14)
        #expect(c.message_init == nil)
        #expect(c.sizeof_message == layout.size)
        #expect(layout.size % 8 == 0)
        let byName = (0..<14).map { String(cString: c.fields[Int(c.fields_sorted_by_name[$0])].name) }
        #expect(byName == byName.sorted())
    }

    @Test func offsetsFollowNaturalAlignment() throws {
        let pool = try DescriptorPool(schema: Self.proto3Pool)
        let layout = try #require(pool.message(named: "t.Sample"))
        func f(_ n: Int32) -> FieldLayout { layout.field(number: n)! }
        #expect(f(1).offset == 24 && f(1).elementSize == 4 && f(1).presence == .implicit && f(1).quantifierOffset == 0)
        #expect(f(2).offset == 32 && f(2).elementSize == 8)
        #expect(f(3).offset == 40 && f(3).elementSize == 4)
        #expect(f(4).offset == 48 && f(4).elementSize == 16)
        #expect(f(5).quantifierOffset == 64 && f(5).offset == 72 && f(5).presence == .repeated)
        #expect(f(6).quantifierOffset == 88 && f(6).offset == 96 && f(6).isPacked)
        #expect(!f(13).isPacked)
        for field in layout.fields {
            #expect(field.offset % min(max(field.elementSize, 4), 8) == 0)
        }
    }

    @Test func oneofMembersShareOneUnionSlot() throws {
        let pool = try DescriptorPool(schema: Self.proto3Pool)
        let layout = try #require(pool.message(named: "t.Sample"))
        let members = [7, 8, 9].map { layout.field(number: $0)! }
        #expect(Set(members.map(\.offset)).count == 1)
        #expect(Set(members.map(\.quantifierOffset)).count == 1)
        #expect(members.allSatisfy { $0.presence == .oneofCase })
        let choice = layout.oneofs[0]
        #expect(choice.valueSize == 16 && choice.valueOffset % 8 == 0)
        #expect(choice.fieldNumbers == [7, 8, 9])
        let opt = try #require(layout.field(number: 10))
        #expect(opt.presence == .oneofCase && layout.oneofs[1].isSynthetic && opt.offset != choice.valueOffset)
        let cField = layout.cDescriptor.pointee.fields[6]
        #expect(cField.flags & PROTOBUF_C_FIELD_FLAG_ONEOF.rawValue != 0)
        #expect(cField.label == PROTOBUF_C_LABEL_NONE)
        #expect(cField.type == PROTOBUF_C_TYPE_BYTES)
    }

    @Test func mapEntryKeysAndScalarValuesAreAlwaysWritten() throws {
        let pool = try DescriptorPool(schema: Self.proto3Pool)
        let layout = try #require(pool.message(named: "t.Sample"))
        let counts = try #require(layout.field(number: 12))
        #expect(counts.isMap && counts.mapKey?.kind == .string && counts.mapValue?.kind == .int32)
        let entry = try #require(counts.message)
        let key = entry.cDescriptor.pointee.fields[0]
        #expect(key.label == PROTOBUF_C_LABEL_REQUIRED && key.default_value != nil)
    }

    @Test func enumDescriptorKeepsDistinctNumbersAndAllNames() throws {
        let pool = try DescriptorPool(schema: Self.proto3Pool)
        let color = try #require(pool.enumType(named: "t.Color"))
        let c = color.cDescriptor.pointee
        #expect(c.n_values == 3 && c.n_value_names == 4)
        #expect((0..<3).map { c.values[$0].value } == [0, 2, 5])
        #expect(c.n_value_ranges == 3 && c.value_ranges[3].orig_index == 3 && c.value_ranges[3].start_value == 0)
        #expect(protobuf_c_enum_descriptor_get_value_by_name(color.cDescriptor, "AZURE")?.pointee.value == 5)
        #expect(protobuf_c_enum_descriptor_get_value(color.cDescriptor, 5).map { String(cString: $0.pointee.name) } == "BLUE")
        #expect(color.name(of: 5) == "BLUE" && color.number(named: "AZURE") == 5)
    }

    @Test func proto2OptionalScalarsGetHasFlagsAndDefaults() throws {
        let file = ProtoFile(name: "p/b.proto", package: "p", syntax: .proto2, dependencies: [])
        let message = MessageDescriptor(fullName: "p.Old", file: "p/b.proto", fields: [
            Self.field("a", 1, .int32, defaultValue: "-7"),
            Self.field("s", 2, .string, defaultValue: "hi"),
            Self.field("r", 3, .int64, label: .required),
            Self.field("m", 4, .message, typeName: "p.Old"),
        ])
        let pool = try DescriptorPool(schema: SchemaPool(files: [file], messages: [message]))
        let layout = try #require(pool.message(named: "p.Old"))
        let a = try #require(layout.field(number: 1))
        #expect(a.presence == .hasFlag && a.quantifierOffset == 24 && a.offset == 28)
        #expect(layout.field(number: 3)?.presence == .required)
        #expect(layout.field(number: 4)?.presence == .pointer)
        #expect(layout.requiredNumbers == [3])
        let arena = Arena()
        defer { withExtendedLifetime(arena) {} }
        let handle = MessageHandle.make(layout, in: arena)
        #expect(handle.int32(a) == -7 && !handle.has(a))
        #expect(handle.string(layout.field(number: 2)!) == "hi")
    }

    @Test func groupsAreRejected() {
        let file = ProtoFile(name: "g.proto", package: "", syntax: .proto2, dependencies: [])
        let message = MessageDescriptor(fullName: "G", file: "g.proto", fields: [Self.field("g", 1, .group, typeName: "G")])
        #expect(throws: WireError.self) { try DescriptorPool(schema: SchemaPool(files: [file], messages: [message])) }
    }
}
