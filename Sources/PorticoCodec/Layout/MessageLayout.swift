import CProtobufC
import PorticoSchema

/// A message of the schema laid out as a C struct, with its protobuf-c descriptor.
///
/// Built once by ``DescriptorPool``; immutable once the pool's initialiser returns. A layout is valid only
/// while its pool lives (the pool owns the C memory it points to).
package final class MessageLayout: @unchecked Sendable {
    /// One oneof of the message (a proto3 `optional` field has a synthetic one).
    package struct Oneof: Sendable {
        /// The oneof's name (`_note` for a synthetic one).
        package let name: String
        package let isSynthetic: Bool
        /// The byte offset of the `uint32` case: the number of the set member, 0 for none.
        package let caseOffset: Int
        /// The byte offset of the union slot every member shares.
        package let valueOffset: Int
        /// The union slot's size in bytes.
        package let valueSize: Int
        /// The numbers of the members.
        package let fieldNumbers: [Int32]
    }

    /// The schema's declaration.
    package let descriptor: MessageDescriptor
    /// The fully qualified name without a leading dot.
    package let fullName: String
    package let syntax: ProtoFile.Syntax
    /// `sizeof` the C struct (a multiple of 8).
    package let size: Int
    /// The C descriptor, owned by the ``DescriptorPool``.
    let cDescriptor: UnsafePointer<ProtobufCMessageDescriptor>
    /// Whether this is a map's entry message.
    package let isMapEntry: Bool
    /// The fields, sorted by number (the order protobuf-c packs them in).
    @exclusivity(unchecked) package internal(set) var fields: [FieldLayout] = []
    @exclusivity(unchecked) package internal(set) var oneofs: [Oneof] = []
    /// The numbers of proto2 `required` fields.
    package internal(set) var requiredNumbers: [Int32] = []
    @exclusivity(unchecked) private var byNumber: [Int32: Int] = [:]
    @exclusivity(unchecked) private var byName: [String: Int] = [:]
    @exclusivity(unchecked) private var byJSONName: [String: Int] = [:]
    /// `fields` indices for numbers below 128 (-1 for none), so the wire scanner avoids hashing.
    @exclusivity(unchecked) private var denseIndex: [Int16] = []
    /// The validator's view of the fields, allocated with the layout and filled by ``install(fields:oneofs:)``.
    let scanTable = UnsafeMutablePointer<ScanTable>.allocate(capacity: 1)
    private var scanTableFilled = false
    /// A ready initialised struct (descriptor set, defaults stored) that new messages are copied from.
    @exclusivity(unchecked) var template: UnsafeRawPointer?

    init(
        descriptor: MessageDescriptor,
        syntax: ProtoFile.Syntax,
        size: Int,
        cDescriptor: UnsafePointer<ProtobufCMessageDescriptor>
    ) {
        self.descriptor = descriptor
        fullName = descriptor.fullName
        self.syntax = syntax
        self.size = size
        self.cDescriptor = cDescriptor
        isMapEntry = descriptor.isMapEntry
    }

    deinit {
        if scanTableFilled { ScanTable.release(scanTable) }
        scanTable.deallocate()
    }

    /// Installs the fields (sorted by number) and the oneofs; called once while the pool is built.
    func install(fields: [FieldLayout], oneofs: [Oneof]) {
        self.fields = fields
        self.oneofs = oneofs
        requiredNumbers = fields.filter { $0.descriptor.label == .required }.map(\.number)
        let denseCount = min(128, Int(fields.last.map { $0.number + 1 } ?? 0))
        denseIndex = Array(repeating: -1, count: max(0, denseCount))
        for (index, field) in fields.enumerated() {
            if field.number < denseCount { denseIndex[Int(field.number)] = Int16(index) }
            byNumber[field.number] = index
            byName[field.name] = index
            byJSONName[field.jsonName] = index
        }
        ScanTable.initialize(scanTable, layout: self, fields: fields)
        scanTableFilled = true
    }

    /// Drops the references to other layouts so recursive messages do not keep each other alive.
    func detach() {
        fields = []
        byNumber = [:]
        byName = [:]
        byJSONName = [:]
        denseIndex = []
    }

    /// The field with a number.
    package func field(number: Int32) -> FieldLayout? {
        fieldIndex(number: number).map { fields[$0] }
    }

    /// The field with a proto name (`order_items`).
    package func field(named name: String) -> FieldLayout? {
        byName[name].map { fields[$0] }
    }

    /// The field with a JSON name (`orderItems`, or its `json_name`).
    package func field(jsonName: String) -> FieldLayout? {
        byJSONName[jsonName].map { fields[$0] }
    }

    /// The index of the field with a number in ``fields``.
    package func fieldIndex(number: Int32) -> Int? {
        if number >= 0, number < denseIndex.count {
            let index = Int(denseIndex[Int(number)])
            return index < 0 ? nil : index
        }
        return byNumber[number]
    }
}
