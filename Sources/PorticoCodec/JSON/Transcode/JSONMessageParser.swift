import PorticoSchema

/// Reads JSON into a message in the protobuf-c layout, following the schema as it goes.
///
/// Values are written straight into the C struct in the request's arena: no intermediate tree. Recursion
/// follows the JSON containers, so the reader's depth limit bounds it. Errors are ``JSONReadError``s and
/// ``JSONLocatedFailure``s that collect the JSON path of the value being read on their way out.
struct JSONMessageParser {
    var reader: JSONReader
    let arena: Arena
    let plans: JSONVersionPlans
    let options: JSONTranscoder.Options

    init(reader: JSONReader, arena: Arena, plans: JSONVersionPlans, options: JSONTranscoder.Options) {
        self.reader = reader
        self.arena = arena
        self.plans = plans
        self.options = options
    }

    /// An error at the value being read; the levels it passes on its way out add the path.
    func failure(_ reason: String) -> JSONLocatedFailure {
        JSONLocatedFailure(reason: reason)
    }

    /// Reads one whole JSON document as the message `handle`.
    mutating func parseDocument(into handle: MessageHandle, plan: JSONMessagePlan) throws(JSONTranscodeFailure) {
        do {
            try parseMessage(into: handle, plan: plan)
            try reader.expectEnd()
        } catch {
            throw JSONTranscodeFailure(error)
        }
    }

    /// Reads a JSON value as the message `handle` (an object, or a well-known type's own JSON form).
    mutating func parseMessage(into handle: MessageHandle, plan: JSONMessagePlan) throws {
        if let wellKnown = plan.wellKnown, wellKnown != .empty {
            return try parseWellKnown(wellKnown, into: handle, plan: plan)
        }
        try parseObjectFields(into: handle, plan: plan, skippingTypeKey: false)
    }

    /// Reads an object's members as fields of `plan`; an `Any` holding a plain message skips its `@type`.
    mutating func parseObjectFields(into handle: MessageHandle, plan: JSONMessagePlan, skippingTypeKey: Bool) throws {
        try expectKind(.object, "an object")
        try reader.beginObject()
        var seen = FieldSet(count: plan.fields.count)
        var oneofMembers = [Int](repeating: -1, count: plan.oneofCount)
        var isFirst = true
        var unknownKey = ""
        let fields = plan.unretainedFields
        // Members usually come in field order (every printer writes them so): the field after the last one
        // read is tried first by its exact quoted JSON name, which skips decoding and hashing the key.
        var predicted = 0
        while try reader.nextObjectMember(isFirst: &isFirst) {
            let match: JSONNameLookup.Match?
            if predicted < fields.count, fields[predicted]._withUnsafeGuaranteedRef({ reader.consumeKey(quoted: $0.quotedJSONName) }) {
                match = JSONNameLookup.Match(index: predicted, isProtoName: false)
            } else {
                match = try reader.withStringBytes { key in
                    let match = plan.lookup.match(key)
                    if match == nil { unknownKey = String(decoding: key, as: UTF8.self) }
                    return match
                }
            }
            try reader.expectKeySeparator()
            guard let match else {
                if options.ignoreUnknownFields || (skippingTypeKey && unknownKey == "@type") {
                    try reader.skipValue()
                    continue
                }
                throw failure("unknown field \"\(unknownKey)\"")
            }
            let index = match.index
            predicted = index + 1
            guard seen.insert(index) else {
                let fieldPlan = plan.fields[index]
                throw failure("field \"\(match.isProtoName ? fieldPlan.layout.name : fieldPlan.jsonName)\" appears more than once")
            }
            if let oneof = fields[index]._withUnsafeGuaranteedRef({ $0.realOneofIndex }), !reader.isAtNull() {
                let other = oneofMembers[oneof]
                if other >= 0 && other != index {
                    throw failure("fields \"\(plan.fields[other].jsonName)\" and \"\(plan.fields[index].jsonName)\" are both set, but belong to the same oneof \"\(plan.layout.oneofs[oneof].name)\"")
                }
                oneofMembers[oneof] = index
            }
            try fields[index]._withUnsafeGuaranteedRef { fieldPlan in
                try parseMember(fieldPlan, match: match, into: handle)
            }
        }
    }

    /// Reads the value of the member `match` found: `null`, or the field's value.
    private mutating func parseMember(_ fieldPlan: JSONFieldPlan, match: JSONNameLookup.Match, into handle: MessageHandle) throws {
        if reader.isAtNull() {
            do {
                try parseNull(fieldPlan, into: handle)
            } catch {
                throw JSONLocatedFailure(error, in: .plannedField(fieldPlan, isProtoName: match.isProtoName))
            }
            return
        }
        do {
            try parseFieldValue(fieldPlan, into: handle)
        } catch {
            throw JSONLocatedFailure(error, in: .plannedField(fieldPlan, isProtoName: match.isProtoName))
        }
    }

    /// `null` for a field: the default (absent), except for `Value` (a null value) and `NullValue`.
    private mutating func parseNull(_ fieldPlan: JSONFieldPlan, into handle: MessageHandle) throws {
        let field = fieldPlan.layout
        if !field.isRepeated {
            switch fieldPlan.valueKind {
            case .message(.value):
                return try parseValue(fieldPlan, field: field, into: handle, append: false)
            case .nullValue:
                try reader.readNull()
                return handle.setInt32(field, 0)
            default:
                break
            }
        }
        try reader.readNull()
        handle.clear(field)
    }

    /// Reads the JSON value of a field: a list, a map, or one value.
    mutating func parseFieldValue(_ fieldPlan: JSONFieldPlan, into handle: MessageHandle) throws {
        let field = fieldPlan.layout
        if field.isMap {
            try parseMap(fieldPlan, into: handle)
        } else if field.isRepeated {
            try expectKind(.array, "an array")
            try reader.beginArray()
            var index = 0
            var isFirst = true
            while try reader.nextArrayElement(isFirst: &isFirst) {
                do {
                    if reader.isAtNull() && !fieldPlan.acceptsNull {
                        throw failure("null is not allowed in a list")
                    }
                    try parseValue(fieldPlan, field: field, into: handle, append: true)
                } catch {
                    throw JSONLocatedFailure(error, in: .index(index))
                }
                index += 1
            }
        } else {
            try parseValue(fieldPlan, field: field, into: handle, append: false)
        }
    }

    private mutating func parseMap(_ fieldPlan: JSONFieldPlan, into handle: MessageHandle) throws {
        let field = fieldPlan.layout
        guard let keyField = field.mapKey, let valueField = field.mapValue else {
            throw failure("map field has no key or value")
        }
        try expectKind(.object, "an object")
        try reader.beginObject()
        var keys = Set<String>()
        var isFirst = true
        while let key = try reader.nextObjectKey(isFirst: &isFirst) {
            do {
                guard keys.insert(key).inserted else { throw failure("map key appears more than once") }
                let entry = handle.appendMessage(field, in: arena)
                try setMapKey(key, field: keyField, into: entry)
                if reader.isAtNull() && !fieldPlan.acceptsNull {
                    throw failure("null is not allowed as a map value")
                }
                try parseValue(fieldPlan, field: valueField, into: entry, append: false)
            } catch {
                throw JSONLocatedFailure(error, in: .key(key))
            }
        }
    }

    private func setMapKey(_ key: String, field: FieldLayout, into entry: MessageHandle) throws {
        let isTrue = key == "true"
        let isBool = isTrue || key == "false"
        var key = key
        try key.withUTF8 { utf8 in
            let text = UnsafeRawBufferPointer(utf8)
            switch field.kind {
            case .string:
                entry.setBytes(field, text, in: arena)
            case .bool:
                guard isBool else { throw failure("expected a map key true or false") }
                entry.setBool(field, isTrue)
            case .int32, .sint32, .sfixed32:
                entry.setInt32(field, Int32(try JSONScalarText.signedInteger(text, quoted: true, type: .int32)))
            case .int64, .sint64, .sfixed64:
                entry.setInt64(field, try JSONScalarText.signedInteger(text, quoted: true, type: .int64))
            case .uint32, .fixed32:
                entry.setUInt32(field, UInt32(try JSONScalarText.unsignedInteger(text, quoted: true, type: .uint32)))
            case .uint64, .fixed64:
                entry.setUInt64(field, try JSONScalarText.unsignedInteger(text, quoted: true, type: .uint64))
            default:
                throw failure("unsupported map key type")
            }
        }
    }

    /// Reads one value of a field: sets a singular field, or appends to a repeated one.
    mutating func parseValue(_ fieldPlan: JSONFieldPlan, field: FieldLayout, into handle: MessageHandle, append: Bool) throws {
        switch fieldPlan.valueKind {
        case .scalar(let kind):
            try parseScalar(kind, field: field, into: handle, append: append)
        case .enumeration(let enumType):
            guard let number = try readEnum(enumType) else { return }
            if append { handle.appendInt32(field, number, in: arena) } else { handle.setInt32(field, number) }
        case .nullValue:
            try readNullValue()
            if append { handle.appendInt32(field, 0, in: arena) } else { handle.setInt32(field, 0) }
        case .message:
            guard let planIndex = fieldPlan.messagePlan else { throw failure("unknown message type") }
            let sub = append ? handle.appendMessage(field, in: arena) : handle.mutableMessage(field, in: arena)
            try plans.unretainedPlans[planIndex]._withUnsafeGuaranteedRef { try parseMessage(into: sub, plan: $0) }
        }
    }

    /// Checks the kind of the next value.
    @inline(__always)
    mutating func expectKind(_ kind: JSONValueKind, _ noun: @autoclosure () -> String) throws {
        switch kind {
        case .object: if reader.isAt(UInt8(ascii: "{")) { return }
        case .array: if reader.isAt(UInt8(ascii: "[")) { return }
        case .string: if reader.isAt(UInt8(ascii: "\"")) { return }
        case .number, .bool, .null: break
        }
        let actual = try reader.peekKind()
        guard actual == kind else { throw failure("expected \(noun()), got \(actual.noun)") }
    }
}

/// Which fields of a message were already read.
struct FieldSet {
    private var small: UInt64 = 0
    private var large: [Bool]

    init(count: Int) {
        large = count > 64 ? [Bool](repeating: false, count: count) : []
    }

    /// Records `index`; `false` when it was already there.
    @inline(__always)
    mutating func insert(_ index: Int) -> Bool {
        if large.isEmpty {
            let bit: UInt64 = 1 << UInt64(index)
            if small & bit != 0 { return false }
            small |= bit
            return true
        }
        if large[index] { return false }
        large[index] = true
        return true
    }
}

extension JSONFieldPlan {
    /// Whether `null` is a value (not an absence) for this field's values: `Value` and `NullValue`.
    var acceptsNull: Bool {
        switch valueKind {
        case .message(.value), .nullValue: true
        default: false
        }
    }
}
