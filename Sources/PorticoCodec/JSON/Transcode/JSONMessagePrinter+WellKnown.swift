extension JSONMessagePrinter {
    /// Writes the JSON form of a well-known type.
    mutating func printWellKnown(_ wellKnown: WellKnownType, _ handle: MessageHandle, plan: JSONMessagePlan) throws {
        switch wellKnown {
        case .timestamp:
            let seconds = handle.int64(try field(1, of: plan))
            let nanos = handle.int32(try field(2, of: plan))
            try TimestampFormat.check(seconds: seconds, nanos: nanos)
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: TimestampFormat.maxLength) { buffer in
                let count = TimestampFormat.write(seconds: seconds, nanos: nanos, to: buffer.baseAddress!)
                writer.string(utf8: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[..<count])))
            }
        case .duration:
            let seconds = handle.int64(try field(1, of: plan))
            let nanos = handle.int32(try field(2, of: plan))
            writer.string(try DurationFormat.format(seconds: seconds, nanos: nanos))
        case .fieldMask:
            let pathsField = try field(1, of: plan)
            let paths = (0..<handle.count(pathsField)).map { handle.string(pathsField, at: $0) }
            writer.string(try FieldMaskFormat.format(paths))
        case .structValue:
            let fieldsPlan = try fieldPlan(1, of: plan)
            try printMap(fieldsPlan, handle, count: handle.count(fieldsPlan.layout))
        case .listValue:
            let valuesPlan = try fieldPlan(1, of: plan)
            try printList(valuesPlan, handle, count: handle.count(valuesPlan.layout))
        case .value:
            try printValueMessage(handle, plan: plan)
        case .any:
            try printAny(handle, plan: plan)
        case .empty:
            writer.beginObject()
            writer.endObject()
        case .doubleValue, .floatValue, .int64Value, .uint64Value, .int32Value, .uint32Value, .boolValue,
             .stringValue, .bytesValue:
            let valuePlan = try fieldPlan(1, of: plan)
            try printValue(valuePlan, field: valuePlan.layout, handle, index: nil)
        }
    }

    /// `google.protobuf.Value`: the JSON value of whichever member is set (`null` for none).
    private mutating func printValueMessage(_ handle: MessageHandle, plan: JSONMessagePlan) throws {
        guard let member = handle.oneofField(0) else { return writer.null() }
        switch member.number {
        case 2:
            let number = handle.double(member)
            guard number.isFinite else {
                throw failure("a Value number cannot be NaN or infinite in JSON")
            }
            writer.number(number)
        case 3:
            writer.string(utf8: handle.bytes(member))
        case 4:
            writer.bool(handle.bool(member))
        case 5, 6:
            let memberPlan = try fieldPlan(member.number, of: plan)
            try printValue(memberPlan, field: member, handle, index: nil)
        default:
            writer.null()
        }
    }

    /// `google.protobuf.Any`: `{"@type": url, fields…}`, or `{"@type": url, "value": …}` for a well-known type.
    private mutating func printAny(_ handle: MessageHandle, plan: JSONMessagePlan) throws {
        let typeURL = handle.string(try field(1, of: plan))
        let value = handle.bytes(try field(2, of: plan))
        if typeURL.isEmpty && value.isEmpty {
            writer.beginObject()
            writer.endObject()
            return
        }
        guard let slash = typeURL.lastIndex(of: "/"),
              let innerPlan = plans.plan(named: String(typeURL[typeURL.index(after: slash)...]))
        else {
            throw failure("unknown type \"\(typeURL)\" in an Any")
        }
        let inner: MessageHandle
        do {
            inner = try MessageHandle.unpack(value, as: innerPlan.layout, in: arena)
        } catch {
            throw failure("the Any value is not a valid \(innerPlan.layout.fullName): \(error.message)")
        }
        writer.beginObject()
        writer.key("@type")
        writer.string(typeURL)
        if let wellKnown = innerPlan.wellKnown, wellKnown.isWrittenAsValueInAny {
            writer.key("value")
            do {
                try printMessage(inner, plan: innerPlan)
            } catch {
                throw JSONLocatedFailure(error, in: .field("value"))
            }
        } else {
            try printFields(inner, plan: innerPlan)
        }
        writer.endObject()
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
