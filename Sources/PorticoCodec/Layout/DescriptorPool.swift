import CProtobufC
import PorticoSchema

/// protobuf-c descriptors for every message and enum of a ``SchemaPool``, built at run time.
///
/// For each message the pool lays out a C struct and builds a `ProtobufCMessageDescriptor` (fields sorted
/// by number, field ranges with their sentinel, `message_init = NULL`), and for each enum a
/// `ProtobufCEnumDescriptor`, in memory the pool owns and frees in `deinit`. Alongside it keeps the Swift
/// metadata the codecs read: a ``MessageLayout`` per message and an ``EnumLayout`` per enum.
///
/// Built once per schema (at start or reload); immutable afterwards and shared by every event loop.
/// Layouts and message handles taken from a pool are valid only while the pool lives.
public final class DescriptorPool: @unchecked Sendable {
    /// The schema the pool was built from.
    public let schema: SchemaPool
    private let memory: CMemory
    private let messages: [String: MessageLayout]
    private let enums: [String: EnumLayout]

    /// Lays out every message and enum of `schema`.
    ///
    /// - Throws: ``WireError`` `.unsupportedSchema` for a group field, `.unknownType` for a field whose
    ///   message or enum type is not in the schema, `.invalidValue` for a proto2 default that does not parse.
    public init(schema: SchemaPool) throws(WireError) {
        self.schema = schema
        let builder = LayoutBuilder(schema: schema)
        try builder.build()
        memory = builder.memory
        messages = builder.messageLayouts
        enums = builder.enumLayouts
    }

    deinit {
        for layout in messages.values { layout.detach() }
    }

    /// The layout of a message by its fully qualified name (a leading dot is accepted).
    package func message(named name: String) -> MessageLayout? {
        messages[name.hasPrefix(".") ? String(name.dropFirst()) : name]
    }

    /// The layout of an enum by its fully qualified name (a leading dot is accepted).
    package func enumType(named name: String) -> EnumLayout? {
        enums[name.hasPrefix(".") ? String(name.dropFirst()) : name]
    }

    /// The names of every message the pool lays out.
    public var messageNames: [String] { messages.keys.sorted() }

    /// Whether the pool knows a message of that fully qualified name.
    public func containsMessage(named name: String) -> Bool { message(named: name) != nil }
}
