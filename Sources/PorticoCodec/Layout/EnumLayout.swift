import CProtobufC
import PorticoSchema

/// An enum of the schema with its protobuf-c descriptor and name tables for the JSON codec.
///
/// Enums are open on the wire: protobuf-c stores any `int32`, known or not.
package final class EnumLayout: @unchecked Sendable {
    /// The schema's declaration.
    package let descriptor: EnumDescriptor
    /// The fully qualified name without a leading dot.
    package let fullName: String
    /// The C descriptor, owned by the ``DescriptorPool``.
    let cDescriptor: UnsafePointer<ProtobufCEnumDescriptor>
    private let namesByNumber: [Int32: String]
    private let numbersByName: [String: Int32]

    init(descriptor: EnumDescriptor, cDescriptor: UnsafePointer<ProtobufCEnumDescriptor>) {
        self.descriptor = descriptor
        fullName = descriptor.fullName
        self.cDescriptor = cDescriptor
        var names: [Int32: String] = [:]
        var numbers: [String: Int32] = [:]
        for value in descriptor.values {
            if names[value.number] == nil { names[value.number] = value.name }
            numbers[value.name] = value.number
        }
        namesByNumber = names
        numbersByName = numbers
    }

    /// The canonical (first declared) name of a number, or `nil` for a number the enum does not declare.
    package func name(of number: Int32) -> String? { namesByNumber[number] }

    /// The number of a value name (aliases included).
    package func number(named name: String) -> Int32? { numbersByName[name] }
}
