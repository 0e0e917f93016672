import CProtobufC
import PorticoSchema

/// Builds the `ProtobufCEnumDescriptor` of one enum.
///
/// `values` holds one entry per distinct number, sorted by number (the first declared name of an alias
/// group); `value_ranges` covers them with the sentinel; `values_by_name` lists every name, aliases included,
/// sorted by name and pointing into `values`.
enum EnumDescriptorBuilder {
    static func build(_ descriptor: EnumDescriptor, package: String, memory: CMemory) -> UnsafePointer<ProtobufCEnumDescriptor> {
        var distinct: [EnumDescriptor.Value] = []
        var seen = Set<Int32>()
        for value in descriptor.values where seen.insert(value.number).inserted {
            distinct.append(value)
        }
        distinct.sort { $0.number < $1.number }
        let values = memory.allocate(ProtobufCEnumValue.self, count: distinct.count)
        var indexByNumber: [Int32: Int] = [:]
        for (index, value) in distinct.enumerated() {
            values[index] = ProtobufCEnumValue(
                name: memory.cString(value.name),
                c_name: memory.cString(value.name),
                value: value.number
            )
            indexByNumber[value.number] = index
        }
        let names = descriptor.values.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
        let byName = memory.allocate(ProtobufCEnumValueIndex.self, count: names.count)
        for (index, value) in names.enumerated() {
            byName[index] = ProtobufCEnumValueIndex(
                name: memory.cString(value.name),
                index: UInt32(indexByNumber[value.number] ?? 0)
            )
        }
        let ranges = LayoutBuilder.ranges(of: distinct.map(\.number), memory: memory)
        let result = memory.allocate(ProtobufCEnumDescriptor.self, count: 1)
        result.pointee = ProtobufCEnumDescriptor(
            magic: UInt32(PROTOBUF_C__ENUM_DESCRIPTOR_MAGIC),
            name: memory.cString(descriptor.fullName),
            short_name: memory.cString(descriptor.name),
            c_name: memory.cString(String(descriptor.fullName.map { $0 == "." ? "_" : $0 })),
            package_name: memory.cString(package),
            n_values: UInt32(distinct.count),
            values: UnsafePointer(values),
            n_value_names: UInt32(names.count),
            values_by_name: UnsafePointer(byName),
            n_value_ranges: UInt32(ranges.count),
            value_ranges: ranges.pointer,
            reserved1: nil,
            reserved2: nil,
            reserved3: nil,
            reserved4: nil
        )
        return UnsafePointer(result)
    }
}
