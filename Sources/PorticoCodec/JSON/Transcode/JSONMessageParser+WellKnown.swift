import CProtobufC
import PorticoSchema

extension JSONMessageParser {
    /// Reads the JSON form of a well-known type.
    mutating func parseWellKnown(_ wellKnown: WellKnownType, into handle: MessageHandle, plan: JSONMessagePlan) throws {
        switch wellKnown {
        case .timestamp, .duration:
            try expectKind(.string, wellKnown == .timestamp ? "an RFC 3339 timestamp string" : "a duration string like \"1.5s\"")
            let (seconds, nanos) = try reader.withStringBytes { text in
                wellKnown == .timestamp ? try TimestampFormat.parse(text) : try DurationFormat.parse(text)
            }
            handle.setInt64(try field(1, of: plan), seconds)
            handle.setInt32(try field(2, of: plan), nanos)
        case .fieldMask:
            try expectKind(.string, "a field mask string")
            let paths = try FieldMaskFormat.parse(try reader.readString())
            let pathsField = try field(1, of: plan)
            for fieldPath in paths { handle.appendString(pathsField, fieldPath, in: arena) }
        case .structValue:
            try parseField(fieldPlan(1, of: plan), into: handle, requireObject: true)
        case .listValue:
            try expectKind(.array, "an array")
            try parseField(fieldPlan(1, of: plan), into: handle, requireObject: false)
        case .value:
            try parseValueMessage(into: handle, plan: plan)
        case .any:
            try parseAny(into: handle, plan: plan)
        case .empty:
            try parseObjectFields(into: handle, plan: plan, skippingTypeKey: false)
        case .doubleValue, .floatValue, .int64Value, .uint64Value, .int32Value, .uint32Value, .boolValue,
             .stringValue, .bytesValue:
            let valuePlan = try fieldPlan(1, of: plan)
            try parseValue(valuePlan, field: valuePlan.layout, into: handle, append: false)
            if !handle.has(valuePlan.layout) { handle.clear(valuePlan.layout) }
        }
    }

    private mutating func parseField(_ fieldPlan: JSONFieldPlan, into handle: MessageHandle, requireObject: Bool) throws {
        if requireObject { try expectKind(.object, "an object") }
        try parseFieldValue(fieldPlan, into: handle)
    }

    /// `google.protobuf.Value`: whichever member the JSON kind selects.
    private mutating func parseValueMessage(into handle: MessageHandle, plan: JSONMessagePlan) throws {
        switch try reader.peekKind() {
        case .null:
            try reader.readNull()
            handle.setInt32(try field(1, of: plan), 0)
        case .number:
            let value = try reader.withNumberText { text throws(JSONReadError) in try JSONScalarText.double(text, quoted: false) }
            handle.setDouble(try field(2, of: plan), value)
        case .string:
            let stringField = try field(3, of: plan)
            let arena = arena
            try reader.withStringBytes { handle.setBytes(stringField, $0, in: arena) }
        case .bool:
            handle.setBool(try field(4, of: plan), try reader.readBool())
        case .object:
            let structPlan = try fieldPlan(5, of: plan)
            try parseValue(structPlan, field: structPlan.layout, into: handle, append: false)
        case .array:
            let listPlan = try fieldPlan(6, of: plan)
            try parseValue(listPlan, field: listPlan.layout, into: handle, append: false)
        }
    }

    /// `google.protobuf.Any`: `{"@type": url, fields…}`, or `{"@type": url, "value": …}` for a well-known type.
    private mutating func parseAny(into handle: MessageHandle, plan: JSONMessagePlan) throws {
        try expectKind(.object, "an object")
        guard let typeURL = try lookAheadTypeURL() else {
            try reader.beginObject()
            var isFirst = true
            if try reader.nextObjectKey(isFirst: &isFirst) != nil {
                throw failure("an Any with fields needs \"@type\"")
            }
            return
        }
        guard let innerPlan = resolveAnyType(typeURL) else {
            throw failure("unknown type \"\(typeURL)\" in \"@type\"")
        }
        let inner = MessageHandle.make(innerPlan.layout, in: arena)
        if let wellKnown = innerPlan.wellKnown, wellKnown.isWrittenAsValueInAny {
            try reader.beginObject()
            var isFirst = true
            var sawValue = false
            while let key = try reader.nextObjectKey(isFirst: &isFirst) {
                switch key {
                case "@type":
                    try reader.skipValue()
                case "value" where !sawValue:
                    sawValue = true
                    do {
                        try parseMessage(into: inner, plan: innerPlan)
                    } catch {
                        throw JSONLocatedFailure(error, in: .field("value"))
                    }
                default:
                    throw failure(key == "value" ? "field \"value\" appears more than once" : "unknown field \"\(key)\"")
                }
            }
        } else {
            try parseObjectFields(into: inner, plan: innerPlan, skippingTypeKey: true)
        }
        handle.setString(try field(1, of: plan), typeURL, in: arena)
        let size = protobuf_c_message_get_packed_size(inner.cMessage)
        if size > 0 {
            let memory = arena.allocate(byteCount: size)
            let written = protobuf_c_message_pack(inner.cMessage, memory.assumingMemoryBound(to: UInt8.self))
            handle.setBytes(try field(2, of: plan), UnsafeRawBufferPointer(start: memory, count: written), in: arena)
        }
    }

    /// The `@type` of the object ahead, found without consuming anything.
    private mutating func lookAheadTypeURL() throws -> String? {
        var lookahead = reader
        try lookahead.beginObject()
        var isFirst = true
        while let key = try lookahead.nextObjectKey(isFirst: &isFirst) {
            if key == "@type" {
                guard try lookahead.peekKind() == .string else { throw failure("\"@type\" must be a string") }
                return try lookahead.readString()
            }
            try lookahead.skipValue()
        }
        return nil
    }

    /// The plan of the message a type URL names (the part after the last `/`).
    func resolveAnyType(_ typeURL: String) -> JSONMessagePlan? {
        guard let slash = typeURL.lastIndex(of: "/") else { return nil }
        return plans.plan(named: String(typeURL[typeURL.index(after: slash)...]))
    }

    func field(_ number: Int32, of plan: JSONMessagePlan) throws -> FieldLayout {
        guard let field = plan.layout.field(number: number) else {
            throw failure("\(plan.layout.fullName) has no field \(number)")
        }
        return field
    }

    func fieldPlan(_ number: Int32, of plan: JSONMessagePlan) throws -> JSONFieldPlan {
        guard let index = plan.layout.fieldIndex(number: number) else {
            throw failure("\(plan.layout.fullName) has no field \(number)")
        }
        return plan.fields[index]
    }
}
