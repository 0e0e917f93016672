import PorticoCodec

/// Field readers and writers for the demo's messages, by proto field name; an absent field reads as its
/// proto3 default.
extension ProtoMessage {
    func string(_ name: String) -> String {
        if case .string(let value) = self[name] { return value }
        return ""
    }

    func optionalString(_ name: String) -> String? {
        if case .string(let value) = self[name] { return value }
        return nil
    }

    func int32(_ name: String) -> Int32 {
        switch self[name] {
        case .int32(let value), .enumNumber(let value): value
        default: 0
        }
    }

    func message(_ name: String) -> ProtoMessage? {
        if case .message(let value) = self[name] { return value }
        return nil
    }

    func list(_ name: String) -> [ProtoValue] {
        if case .list(let values) = self[name] { return values }
        return []
    }

    func stringMap(_ name: String) -> [String: String] {
        guard case .map(let entries) = self[name] else { return [:] }
        var result: [String: String] = [:]
        for (key, value) in entries {
            if case .string(let key) = key, case .string(let value) = value { result[key] = value }
        }
        return result
    }

    /// The `paths` of a `google.protobuf.FieldMask` field.
    func fieldMaskPaths(_ name: String) -> [String] {
        message(name)?.list("paths").compactMap { value in
            if case .string(let path) = value { return path }
            return nil
        } ?? []
    }

    /// The value of a `google.protobuf.Int64Value` field, `nil` when unset.
    func int64Wrapper(_ name: String) -> Int64? {
        guard let wrapper = message(name) else { return nil }
        if case .int64(let value) = wrapper["value"] { return value }
        return 0
    }
}

/// Builders of the well-known and shared messages the demo answers with.
enum DemoMessages {
    static func timestamp(_ seconds: Int64) -> ProtoValue {
        .message(ProtoMessage("google.protobuf.Timestamp", ["seconds": .int64(seconds)]))
    }

    static func money(_ money: DemoMoney) -> ProtoValue {
        .message(ProtoMessage("demo.common.v1.Money", [
            "currency_code": .string(money.currencyCode), "units": .int64(money.units), "nanos": .int32(money.nanos),
        ]))
    }

    static func money(from message: ProtoMessage?) -> DemoMoney? {
        guard let message else { return nil }
        let units: Int64
        if case .int64(let value) = message["units"] { units = value } else { units = 0 }
        return DemoMoney(currencyCode: message.string("currency_code"), units: units, nanos: message.int32("nanos"))
    }

    static func strings(_ values: [String]) -> ProtoValue {
        .list(values.map { .string($0) })
    }
}
