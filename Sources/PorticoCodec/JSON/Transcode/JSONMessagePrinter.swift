import PorticoSchema

/// Writes a message in the protobuf-c layout as JSON, following the proto3 JSON mapping.
///
/// Fields are written in field-number order; unset fields are left out unless the options ask for
/// unpopulated fields (only fields without presence: implicit scalars, lists and maps). Recursion follows the
/// message nesting, which the wire layer bounds when it unpacks.
struct JSONMessagePrinter {
    var writer: JSONWriter
    let plans: JSONVersionPlans
    let options: JSONTranscoder.Options
    let arena: Arena
    /// How many messages are open. The wire validator bounds nesting within one unpack, but an `Any`
    /// unpacks its content afresh, so a chain of `Any`s is bounded here.
    private var depth = 0
    static let maxMessageDepth = 1000

    /// A printer whose writer starts with room for `capacity` bytes of JSON.
    init(plans: JSONVersionPlans, options: JSONTranscoder.Options, arena: Arena, capacity: Int = 256) {
        self.writer = JSONWriter(pretty: options.prettyOutput, capacity: capacity)
        self.plans = plans
        self.options = options
        self.arena = arena
    }

    /// An error at the value being written; the levels it passes on its way out add the path.
    func failure(_ reason: String) -> JSONLocatedFailure {
        JSONLocatedFailure(reason: reason)
    }

    /// Writes `handle` as one JSON document.
    mutating func printDocument(_ handle: MessageHandle, plan: JSONMessagePlan) throws(JSONTranscodeFailure) {
        do {
            try printMessage(handle, plan: plan)
        } catch {
            throw JSONTranscodeFailure(error)
        }
    }

    /// Writes a message: its well-known form, or an object of its fields.
    mutating func printMessage(_ handle: MessageHandle, plan: JSONMessagePlan) throws {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxMessageDepth else {
            throw failure("messages nested deeper than \(Self.maxMessageDepth) levels")
        }
        if let wellKnown = plan.wellKnown, wellKnown != .empty {
            return try printWellKnown(wellKnown, handle, plan: plan)
        }
        writer.beginObject()
        try printFields(handle, plan: plan)
        writer.endObject()
    }

    /// Writes the members of a message's object (the caller opens and closes it).
    mutating func printFields(_ handle: MessageHandle, plan: JSONMessagePlan) throws {
        for fieldPlan in plan.unretainedFields {
            try fieldPlan._withUnsafeGuaranteedRef { try printField($0, handle) }
        }
    }

    /// Writes one field's member, unless it is left out.
    @inline(__always)
    private mutating func printField(_ fieldPlan: JSONFieldPlan, _ handle: MessageHandle) throws {
        let field = fieldPlan.layout
        if field.isRepeated {
            let count = handle.count(field)
            if count == 0 && !options.emitUnpopulatedFields { return }
            writeKey(fieldPlan)
            do {
                if field.isMap {
                    try printMap(fieldPlan, handle, count: count)
                } else {
                    try printList(fieldPlan, handle, count: count)
                }
            } catch {
                throw JSONLocatedFailure(error, in: .plannedField(fieldPlan, isProtoName: false))
            }
        } else {
            if !Self.isPresent(field, handle) && (fieldPlan.hasExplicitPresence || !options.emitUnpopulatedFields) { return }
            writeKey(fieldPlan)
            do {
                try printValue(fieldPlan, field: field, handle, index: nil)
            } catch {
                throw JSONLocatedFailure(error, in: .plannedField(fieldPlan, isProtoName: false))
            }
        }
    }

    /// Whether a singular field is set; an implicit `-0.0` counts, as in protobuf's own runtimes.
    @inline(__always)
    private static func isPresent(_ field: FieldLayout, _ handle: MessageHandle) -> Bool {
        if handle.has(field) { return true }
        guard field.presence == .implicit else { return false }
        switch field.kind {
        case .double: return handle.double(field).bitPattern != 0
        case .float: return handle.float(field).bitPattern != 0
        default: return false
        }
    }

    private mutating func writeKey(_ fieldPlan: JSONFieldPlan) {
        writer.key(member: options.useProtoFieldNames ? fieldPlan.protoNameMember : fieldPlan.jsonNameMember)
    }

    /// Writes a repeated field's elements as an array.
    mutating func printList(_ fieldPlan: JSONFieldPlan, _ handle: MessageHandle, count: Int) throws {
        let field = fieldPlan.layout
        writer.beginArray()
        for index in 0..<count {
            do {
                try printValue(fieldPlan, field: field, handle, index: index)
            } catch {
                throw JSONLocatedFailure(error, in: .index(index))
            }
        }
        writer.endArray()
    }

    /// Writes a map field as an object keyed by the map keys (the last entry of a repeated key wins).
    mutating func printMap(_ fieldPlan: JSONFieldPlan, _ handle: MessageHandle, count: Int) throws {
        guard let keyField = fieldPlan.layout.mapKey, let valueField = fieldPlan.layout.mapValue else {
            throw failure("map field has no key or value")
        }
        var keys: [String] = []
        keys.reserveCapacity(count)
        for index in 0..<count {
            keys.append(Self.mapKey(handle.message(fieldPlan.layout, at: index), keyField))
        }
        var lastIndex: [String: Int] = [:]
        if count > 1 {
            for (index, key) in keys.enumerated() { lastIndex[key] = index }
        }
        writer.beginObject()
        for (index, key) in keys.enumerated() {
            if count > 1, lastIndex[key] != index { continue }
            writer.key(key)
            do {
                let entry = handle.message(fieldPlan.layout, at: index)
                try printValue(fieldPlan, field: valueField, entry, index: nil)
            } catch {
                throw JSONLocatedFailure(error, in: .key(key))
            }
        }
        writer.endObject()
    }

    private static func mapKey(_ entry: MessageHandle, _ keyField: FieldLayout) -> String {
        switch keyField.kind {
        case .string: entry.string(keyField)
        case .bool: entry.bool(keyField) ? "true" : "false"
        case .int32, .sint32, .sfixed32: String(entry.int32(keyField))
        case .int64, .sint64, .sfixed64: String(entry.int64(keyField))
        case .uint32, .fixed32: String(entry.uint32(keyField))
        default: String(entry.uint64(keyField))
        }
    }

    /// Writes one value of a field: element `index` of a repeated field, or the singular value.
    mutating func printValue(_ fieldPlan: JSONFieldPlan, field: FieldLayout, _ handle: MessageHandle, index: Int?) throws {
        switch fieldPlan.valueKind {
        case .scalar(let kind):
            printScalar(kind, field: field, handle, index: index)
        case .enumeration(let enumType):
            let number = index.map { handle.int32(field, at: $0) } ?? handle.int32(field)
            if !options.enumsAsNumbers, let name = enumType.name(of: number) {
                writer.string(name)
            } else {
                writer.number(Int64(number))
            }
        case .nullValue:
            writer.null()
        case .message:
            guard let planIndex = fieldPlan.messagePlan else { throw failure("unknown message type") }
            try plans.unretainedPlans[planIndex]._withUnsafeGuaranteedRef { plan in
                let sub = index.map { handle.message(field, at: $0) } ?? handle.message(field) ?? MessageHandle.make(plan.layout, in: arena)
                try printMessage(sub, plan: plan)
            }
        }
    }

    private mutating func printScalar(_ kind: FieldType, field: FieldLayout, _ handle: MessageHandle, index: Int?) {
        switch kind {
        case .int32, .sint32, .sfixed32:
            writer.number(Int64(index.map { handle.int32(field, at: $0) } ?? handle.int32(field)))
        case .int64, .sint64, .sfixed64:
            writer.quotedNumber(index.map { handle.int64(field, at: $0) } ?? handle.int64(field))
        case .uint32, .fixed32:
            writer.number(UInt64(index.map { handle.uint32(field, at: $0) } ?? handle.uint32(field)))
        case .uint64, .fixed64:
            writer.quotedNumber(index.map { handle.uint64(field, at: $0) } ?? handle.uint64(field))
        case .double:
            writer.number(index.map { handle.double(field, at: $0) } ?? handle.double(field))
        case .float:
            writer.number(index.map { handle.float(field, at: $0) } ?? handle.float(field))
        case .bool:
            writer.bool(index.map { handle.bool(field, at: $0) } ?? handle.bool(field))
        case .string:
            writer.string(utf8: index.map { handle.bytes(field, at: $0) } ?? handle.bytes(field))
        case .bytes:
            writer.base64(index.map { handle.bytes(field, at: $0) } ?? handle.bytes(field))
        case .enum, .message, .group:
            writer.null()
        }
    }
}
