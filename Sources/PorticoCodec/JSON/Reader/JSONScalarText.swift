/// The integer types of protobuf, as the JSON mapping reads them.
enum JSONIntegerType: Sendable {
    case int32
    case int64
    case uint32
    case uint64

    var name: String {
        switch self {
        case .int32: "int32"
        case .int64: "int64"
        case .uint32: "uint32"
        case .uint64: "uint64"
        }
    }
}

/// Conversions of number text (a JSON number token, or the contents of a quoted number or a path or query
/// binding) to protobuf scalar values, with the proto3 JSON mapping's rules and plain error reasons.
enum JSONScalarText {
    /// How a rejected value is quoted in an error: strings in quotes (shortened), numbers as written.
    static func shown(_ text: UnsafeRawBufferPointer, quoted: Bool) -> String {
        let limit = 40
        var string = String(decoding: text.prefix(limit), as: UTF8.self)
        if text.count > limit { string += "…" }
        return quoted ? "\"" + string + "\"" : string
    }

    /// A signed integer of `type` (`int32` or `int64`).
    static func signedInteger(_ text: UnsafeRawBufferPointer, quoted: Bool, type: JSONIntegerType) throws(JSONReadError) -> Int64 {
        guard let number = JSONNumber(text: text) else {
            throw JSONReadError("expected an integer, got \(shown(text, quoted: quoted))")
        }
        let (min, max) = type == .int32 ? (Int64(Int32.min), Int64(Int32.max)) : (Int64.min, Int64.max)
        switch number.signedInteger(min: min, max: max) {
        case .success(let value): return value
        case .failure(.notIntegral): throw JSONReadError("expected an integer, got \(shown(text, quoted: quoted))")
        case .failure(.outOfRange): throw JSONReadError("\(shown(text, quoted: quoted)) is out of range for \(type.name)")
        }
    }

    /// An unsigned integer of `type` (`uint32` or `uint64`).
    static func unsignedInteger(_ text: UnsafeRawBufferPointer, quoted: Bool, type: JSONIntegerType) throws(JSONReadError) -> UInt64 {
        guard let number = JSONNumber(text: text) else {
            throw JSONReadError("expected an integer, got \(shown(text, quoted: quoted))")
        }
        let max = type == .uint32 ? UInt64(UInt32.max) : UInt64.max
        switch number.unsignedInteger(max: max) {
        case .success(let value): return value
        case .failure(.notIntegral): throw JSONReadError("expected an integer, got \(shown(text, quoted: quoted))")
        case .failure(.outOfRange): throw JSONReadError("\(shown(text, quoted: quoted)) is out of range for \(type.name)")
        }
    }

    /// A `double`: a number, or (quoted) a number, `"NaN"`, `"Infinity"` or `"-Infinity"`.
    static func double(_ text: UnsafeRawBufferPointer, quoted: Bool) throws(JSONReadError) -> Double {
        if quoted, let special = specialValue(text) { return special }
        guard let number = JSONNumber(text: text) else {
            throw JSONReadError("expected a number, got \(shown(text, quoted: quoted))")
        }
        guard let value = number.double() else {
            throw JSONReadError("\(shown(text, quoted: quoted)) is out of range for double")
        }
        return value
    }

    /// A `float`: as ``double(_:quoted:)``, and a finite value beyond the float range is an error.
    static func float(_ text: UnsafeRawBufferPointer, quoted: Bool) throws(JSONReadError) -> Float {
        let value = try double(text, quoted: quoted)
        let narrowed = Float(value)
        if value.isFinite && !narrowed.isFinite {
            throw JSONReadError("\(shown(text, quoted: quoted)) is out of range for float")
        }
        return narrowed
    }

    private static func specialValue(_ text: UnsafeRawBufferPointer) -> Double? {
        if text.elementsEqual("NaN".utf8) { return .nan }
        if text.elementsEqual("Infinity".utf8) { return .infinity }
        if text.elementsEqual("-Infinity".utf8) { return -.infinity }
        return nil
    }
}
