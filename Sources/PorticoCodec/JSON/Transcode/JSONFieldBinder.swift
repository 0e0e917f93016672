import PorticoSchema

/// Sets fields from string values by dotted path, as HttpRule path variables and query parameters need.
///
/// A path names fields by proto name or by the version's JSON name; every step but the last must be a
/// singular message field. The last takes the value in its JSON string form: numbers, `true`/`false`,
/// enum names or numbers, base64 (standard or URL-safe) for bytes, the wrapped value for wrappers, the
/// string forms of Timestamp, Duration and FieldMask, and JSON text for Struct, Value and ListValue. A
/// repeated field gets the value appended.
struct JSONFieldBinder {
    let arena: Arena
    let plans: JSONVersionPlans
    let options: JSONTranscoder.Options
    private var boundSingularPaths = Set<String>()

    init(arena: Arena, plans: JSONVersionPlans, options: JSONTranscoder.Options) {
        self.arena = arena
        self.plans = plans
        self.options = options
    }

    /// Applies every binding, in order.
    mutating func apply(_ bindings: [JSONTranscoder.FieldBinding], to handle: MessageHandle, plan: JSONMessagePlan) throws(JSONTranscodeFailure) {
        for binding in bindings {
            do {
                try bind(binding, to: handle, plan: plan)
            } catch let failure as JSONTranscodeFailure {
                throw failure
            } catch let error as JSONReadError {
                throw JSONTranscodeFailure(message: "\(binding.path): \(error.reason)")
            } catch {
                throw JSONTranscodeFailure(message: "\(binding.path): \(error)")
            }
        }
    }

    private mutating func bind(_ binding: JSONTranscoder.FieldBinding, to root: MessageHandle, plan rootPlan: JSONMessagePlan) throws {
        // A path resolved when the route compiled is walked by field position; anything else by name.
        let names = binding.resolvedPath == nil ? binding.path.split(separator: ".", omittingEmptySubsequences: false) : []
        let steps = binding.resolvedPath?.positions.count ?? names.count
        var handle = root
        var plan = rootPlan
        var protoPath = ""
        // Whether the body has set every message on the way down, so the leaf may be set too.
        var setByBody = binding.isPathVariable
        for position in 0..<steps {
            let index: Int
            if let resolved = binding.resolvedPath {
                index = resolved.positions[position]
            } else if let named = plan.inputFields[String(names[position])] {
                index = named
            } else {
                throw JSONTranscodeFailure(message: "unknown field \"\(binding.path)\"")
            }
            let fieldPlan = plan.fields[index]
            let field = fieldPlan.layout
            protoPath += position == 0 ? field.name : "." + field.name
            if position == steps - 1 {
                if setByBody, field.presence != .required, !field.isRepeated, handle.has(field) {
                    throw JSONTranscodeFailure(message: "\(binding.path): the field is bound by the URL path; the request body must not set it")
                }
                return try setLeaf(fieldPlan, binding, protoPath: protoPath, in: handle, plan: plan)
            }
            guard !field.isRepeated, case .message = fieldPlan.valueKind, let subPlan = fieldPlan.messagePlan else {
                throw JSONTranscodeFailure(message: "\(binding.path): \"\(field.name)\" is not a singular message field")
            }
            try checkOneof(fieldPlan, in: handle, plan: plan, path: binding.path)
            setByBody = setByBody && handle.has(field)
            handle = handle.mutableMessage(field, in: arena)
            plan = plans.plans[subPlan]
        }
    }

    /// Sets the leaf; `protoPath` is the binding's path in proto names, so one field bound under two of its
    /// names (a path variable and a query parameter by JSON name) is still caught as bound twice.
    private mutating func setLeaf(
        _ fieldPlan: JSONFieldPlan, _ binding: JSONTranscoder.FieldBinding, protoPath: String, in handle: MessageHandle, plan: JSONMessagePlan
    ) throws {
        let field = fieldPlan.layout
        if field.isMap {
            throw JSONTranscodeFailure(message: "\(binding.path): a map field cannot be bound to a single value")
        }
        if !field.isRepeated {
            guard boundSingularPaths.insert(protoPath).inserted else {
                throw JSONTranscodeFailure(message: "\(binding.path): too many values for a singular field")
            }
            try checkOneof(fieldPlan, in: handle, plan: plan, path: binding.path)
        }
        let json = Self.jsonText(for: binding.value, kind: fieldPlan.valueKind)
        try json.withUnsafeBytes { bytes in
            var parser = JSONMessageParser(reader: JSONReader(bytes: bytes, maxDepth: options.effectiveMaxDepth), arena: arena, plans: plans, options: options)
            do {
                try parser.parseValue(fieldPlan, field: field, into: handle, append: field.isRepeated)
                try parser.reader.expectEnd()
            } catch let failure as JSONLocatedFailure {
                throw JSONTranscodeFailure(message: "\(binding.path): \(failure.message)")
            } catch let error as JSONReadError where error.offset != nil {
                throw JSONTranscodeFailure(message: "\(binding.path): invalid JSON: \(error.reason) (at byte \(error.offset ?? 0))")
            }
        }
    }

    /// A bound value as the JSON the parser reads: the string itself for string forms (quoted), the JSON text
    /// for Struct, Value and ListValue, and the bare number for an enum given by number.
    private static func jsonText(for value: String, kind: JSONValueKindPlan) -> [UInt8] {
        switch kind {
        case .message(.structValue), .message(.value), .message(.listValue):
            return Array(value.utf8)
        case .message(.boolValue), .scalar(.bool):
            if value == "true" || value == "false" { return Array(value.utf8) }
        case .nullValue:
            if value == "null" { return Array(value.utf8) }
        case .enumeration:
            let digits = value.utf8.drop { $0 == UInt8(ascii: "-") }
            if !digits.isEmpty && digits.allSatisfy(JSONNumber.isDigit) { return Array(value.utf8) }
        default:
            break
        }
        return quoted(value)
    }

    /// `value` as a JSON string: quoted as it is when nothing in it needs an escape (a path segment, an id),
    /// else escaped by a ``JSONWriter``.
    private static func quoted(_ value: String) -> [UInt8] {
        var value = value
        return value.withUTF8 { utf8 in
            guard let source = utf8.baseAddress, JSONBytes.nextByteToEscape(source, from: 0, count: utf8.count) == utf8.count else {
                var writer = JSONWriter()
                writer.string(utf8: UnsafeRawBufferPointer(utf8))
                return writer.bytes
            }
            return [UInt8](unsafeUninitializedCapacity: utf8.count + 2) { bytes, initialized in
                bytes[0] = UInt8(ascii: "\"")
                UnsafeMutableRawPointer(bytes.baseAddress! + 1).copyMemory(from: source, byteCount: utf8.count)
                bytes[utf8.count + 1] = UInt8(ascii: "\"")
                initialized = utf8.count + 2
            }
        }
    }

    private func checkOneof(_ fieldPlan: JSONFieldPlan, in handle: MessageHandle, plan: JSONMessagePlan, path: String) throws {
        guard let oneof = fieldPlan.realOneofIndex else { return }
        let setNumber = handle.oneofCase(oneof)
        if setNumber != 0 && setNumber != fieldPlan.layout.number {
            throw JSONTranscodeFailure(message: "\(path): another field of oneof \"\(plan.layout.oneofs[oneof].name)\" is already set")
        }
    }
}
