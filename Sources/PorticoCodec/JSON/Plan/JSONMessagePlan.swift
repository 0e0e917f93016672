import PorticoSchema

/// What the JSON codec needs to know about one field, resolved once per API version.
///
/// A class, so walking a message's fields costs one reference count per field, not one per member. The
/// quoted names live in memory the plan owns, so writing a key or matching one reads raw bytes without
/// touching an array's reference count; that memory is written once in `init` and only read afterwards,
/// which is why sharing a plan across threads is safe (`@unchecked Sendable`).
final class JSONFieldPlan: @unchecked Sendable {
    /// Where the field lives in the C struct.
    let layout: FieldLayout
    /// The version's JSON name as a quoted, escaped JSON string, as the parser expects keys.
    let quotedJSONName: UnsafeRawBufferPointer
    /// The version's JSON name and the proto name, each quoted and followed by `:`, as a compact object
    /// member starts.
    let jsonNameMember: UnsafeRawBufferPointer
    let protoNameMember: UnsafeRawBufferPointer
    /// The version's JSON name, for error paths.
    let jsonName: String
    /// The plan of the field's message type (the map value's message type, for a map), in the same version.
    let messagePlan: Int?
    /// The field's value kind (the map value's, for a map).
    let valueKind: JSONValueKindPlan
    /// Whether the field has presence beyond its value (a message, a oneof member, proto3 `optional`):
    /// such fields are never written unpopulated.
    let hasExplicitPresence: Bool
    /// The index of the field's real (not synthetic) oneof in the message layout.
    let realOneofIndex: Int?
    /// Both quoted names, one after the other.
    private let nameStorage: UnsafeMutableRawBufferPointer

    init(
        layout: FieldLayout,
        quotedJSONName: [UInt8],
        quotedProtoName: [UInt8],
        jsonName: String,
        messagePlan: Int?,
        valueKind: JSONValueKindPlan,
        hasExplicitPresence: Bool,
        realOneofIndex: Int?
    ) {
        self.layout = layout
        let colon = UInt8(ascii: ":")
        let bytes = quotedJSONName + [colon] + quotedProtoName + [colon]
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        storage.copyBytes(from: bytes)
        nameStorage = storage
        let jsonCount = quotedJSONName.count
        let protoStart = jsonCount + 1
        self.quotedJSONName = UnsafeRawBufferPointer(rebasing: storage[0..<jsonCount])
        jsonNameMember = UnsafeRawBufferPointer(rebasing: storage[0..<protoStart])
        protoNameMember = UnsafeRawBufferPointer(rebasing: storage[protoStart...])
        self.jsonName = jsonName
        self.messagePlan = messagePlan
        self.valueKind = valueKind
        self.hasExplicitPresence = hasExplicitPresence
        self.realOneofIndex = realOneofIndex
    }

    deinit {
        nameStorage.deallocate()
    }
}

/// How one value of a field is read and written.
enum JSONValueKindPlan: Sendable {
    case scalar(FieldType)
    case enumeration(EnumLayout)
    /// `google.protobuf.NullValue`: written as `null`.
    case nullValue
    case message(WellKnownType?)
}

/// The JSON view of one message in one API version.
final class JSONMessagePlan: Sendable {
    let layout: MessageLayout
    let wellKnown: WellKnownType?
    /// One entry per ``MessageLayout/fields`` element, in the same order.
    let fields: [JSONFieldPlan]
    /// ``fields`` without reference counts, for the per-field loops of the parser and printer: each is
    /// used through `_withUnsafeGuaranteedRef` while this plan (which keeps it alive) is in use.
    let unretainedFields: [Unmanaged<JSONFieldPlan>]
    /// Every name accepted on input (the version's JSON name and the proto name) to an index into ``fields``.
    let inputFields: [String: Int]
    /// ``inputFields`` as a table the parser looks JSON key bytes up in.
    let lookup: JSONNameLookup
    /// The number of oneofs of the message (synthetic ones included).
    let oneofCount: Int

    init(layout: MessageLayout, wellKnown: WellKnownType?, fields: [JSONFieldPlan], inputFields: [String: Int]) {
        self.layout = layout
        self.wellKnown = wellKnown
        self.fields = fields
        unretainedFields = fields.map { Unmanaged.passUnretained($0) }
        self.inputFields = inputFields
        lookup = JSONNameLookup(names: inputFields) { name, index in fields[index].layout.name == name }
        oneofCount = layout.oneofs.count
    }
}

/// Every message plan of one API version; plans refer to each other by index, so recursive messages hold
/// no reference cycles.
struct JSONVersionPlans: Sendable {
    let plans: [JSONMessagePlan]
    let indexByName: [String: Int]
    /// ``plans`` without reference counts, for descending into nested messages: each is used through
    /// `_withUnsafeGuaranteedRef` while ``plans`` keeps it alive.
    let unretainedPlans: [Unmanaged<JSONMessagePlan>]

    init(plans: [JSONMessagePlan], indexByName: [String: Int]) {
        self.plans = plans
        self.indexByName = indexByName
        unretainedPlans = plans.map { Unmanaged.passUnretained($0) }
    }

    func plan(named name: String) -> JSONMessagePlan? {
        indexByName[name].map { plans[$0] }
    }
}
