import PorticoSchema

/// Builds the ``JSONVersionPlans`` of one API version from the descriptor pool and the name tables.
struct JSONPlanBuilder {
    let descriptors: DescriptorPool
    let names: JSONNameTables

    func build(version: String) -> JSONVersionPlans {
        let messageNames = descriptors.messageNames
        var indexByName: [String: Int] = [:]
        for (index, name) in messageNames.enumerated() { indexByName[name] = index }
        var plans: [JSONMessagePlan] = []
        plans.reserveCapacity(messageNames.count)
        for name in messageNames {
            guard let layout = descriptors.message(named: name) else { continue }
            plans.append(plan(for: layout, version: version, indexByName: indexByName))
        }
        return JSONVersionPlans(plans: plans, indexByName: indexByName)
    }

    private func plan(for layout: MessageLayout, version: String, indexByName: [String: Int]) -> JSONMessagePlan {
        let messageNames = names.names(for: layout.fullName, version: version)
        var jsonNameByNumber: [Int32: String] = [:]
        var inputFields: [String: Int] = [:]
        var fieldIndexByNumber: [Int32: Int] = [:]
        for (index, field) in layout.fields.enumerated() { fieldIndexByNumber[field.number] = index }
        if let messageNames {
            for (declarationIndex, field) in layout.descriptor.fields.enumerated() {
                jsonNameByNumber[field.number] = messageNames.outputNames[declarationIndex]
            }
            for (name, declarationIndex) in messageNames.inputFields {
                let number = layout.descriptor.fields[declarationIndex].number
                if let index = fieldIndexByNumber[number] { inputFields[name] = index }
            }
        }
        let fields = layout.fields.enumerated().map { index, field in
            let jsonName = jsonNameByNumber[field.number] ?? field.jsonName
            if messageNames == nil {
                inputFields[field.name] = index
                inputFields[jsonName] = index
            }
            return fieldPlan(field, jsonName: jsonName, layout: layout, indexByName: indexByName)
        }
        return JSONMessagePlan(
            layout: layout,
            wellKnown: WellKnownType(messageName: layout.fullName),
            fields: fields,
            inputFields: inputFields
        )
    }

    private func fieldPlan(_ field: FieldLayout, jsonName: String, layout: MessageLayout, indexByName: [String: Int]) -> JSONFieldPlan {
        let valueField = field.isMap ? (field.mapValue ?? field) : field
        let valueKind: JSONValueKindPlan
        var messagePlan: Int?
        switch valueField.kind {
        case .message, .group:
            let name = valueField.message?.fullName ?? ""
            messagePlan = indexByName[name]
            valueKind = .message(WellKnownType(messageName: name))
        case .enum:
            if let enumType = valueField.enumType, enumType.fullName != nullValueEnumName {
                valueKind = .enumeration(enumType)
            } else {
                valueKind = .nullValue
            }
        default:
            valueKind = .scalar(valueField.kind)
        }
        let oneof = field.oneofIndex.map { layout.oneofs[$0] }
        return JSONFieldPlan(
            layout: field,
            quotedJSONName: Self.quoted(jsonName),
            quotedProtoName: Self.quoted(field.name),
            jsonName: jsonName,
            messagePlan: messagePlan,
            valueKind: valueKind,
            hasExplicitPresence: !field.isRepeated && (field.kind == .message || oneof != nil || field.presence == .hasFlag),
            realOneofIndex: oneof?.isSynthetic == false ? field.oneofIndex : nil
        )
    }

    private static func quoted(_ name: String) -> [UInt8] {
        var writer = JSONWriter()
        writer.string(name)
        return writer.bytes
    }
}
