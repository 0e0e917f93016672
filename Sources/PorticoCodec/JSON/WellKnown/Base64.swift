/// Base64 for `bytes` fields: the standard alphabet with padding out; standard or URL-safe, padded or not, in.
///
/// Both directions work four characters (three bytes) at a time through table lookups on raw pointers, with
/// the tables fetched once per call: no per-byte array access, bounds check or reference count.
enum Base64 {
    private static let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

    /// Each byte's 6-bit value in either alphabet, or 0xFF.
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for index in 0..<64 { table[Int(alphabet.utf8Start[index])] = UInt8(index) }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    /// The length of the padded encoding of `byteCount` bytes.
    static func encodedCount(_ byteCount: Int) -> Int {
        (byteCount + 2) / 3 * 4
    }

    /// Writes the standard, padded encoding of `data` at `output`, which has room for
    /// ``encodedCount(_:)`` bytes.
    static func encode(_ data: UnsafeRawBufferPointer, into output: UnsafeMutablePointer<UInt8>) {
        guard let input = data.baseAddress else { return }
        let symbols = alphabet.utf8Start
        let count = data.count
        var index = 0
        var out = output
        while index + 3 <= count {
            let chunk = UInt32(input.load(fromByteOffset: index, as: UInt8.self)) << 16
                | UInt32(input.load(fromByteOffset: index + 1, as: UInt8.self)) << 8
                | UInt32(input.load(fromByteOffset: index + 2, as: UInt8.self))
            out[0] = symbols[Int(chunk >> 18)]
            out[1] = symbols[Int(chunk >> 12 & 0x3F)]
            out[2] = symbols[Int(chunk >> 6 & 0x3F)]
            out[3] = symbols[Int(chunk & 0x3F)]
            out += 4
            index += 3
        }
        let remaining = count - index
        guard remaining > 0 else { return }
        var chunk = UInt32(input.load(fromByteOffset: index, as: UInt8.self)) << 16
        if remaining == 2 { chunk |= UInt32(input.load(fromByteOffset: index + 1, as: UInt8.self)) << 8 }
        out[0] = symbols[Int(chunk >> 18)]
        out[1] = symbols[Int(chunk >> 12 & 0x3F)]
        out[2] = remaining == 2 ? symbols[Int(chunk >> 6 & 0x3F)] : UInt8(ascii: "=")
        out[3] = UInt8(ascii: "=")
    }

    /// Appends the standard, padded encoding of `data`.
    static func encode(_ data: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        let start = output.count
        let added = encodedCount(data.count)
        output.append(contentsOf: repeatElement(0, count: added))
        output.withUnsafeMutableBufferPointer { encode(data, into: $0.baseAddress! + start) }
    }

    /// The standard, padded encoding of `data` as a string.
    static func encode(_ data: [UInt8]) -> String {
        var output: [UInt8] = []
        data.withUnsafeBytes { encode($0, to: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    /// The number of bytes `text` decodes to, after checking it is valid base64 in either alphabet.
    static func decodedCount(_ text: UnsafeRawBufferPointer) throws(JSONReadError) -> Int {
        var length = text.count
        var padding = 0
        while length > 0 && text[length - 1] == UInt8(ascii: "=") && padding < 2 {
            length -= 1
            padding += 1
        }
        if padding > 0 && text.count % 4 != 0 {
            throw JSONReadError("invalid base64: wrong padding")
        }
        if length % 4 == 1 {
            throw JSONReadError("invalid base64: wrong length")
        }
        let invalid = decodeTable.withUnsafeBufferPointer { table -> Int? in
            var combined: UInt8 = 0
            for index in 0..<length { combined |= table[Int(text[index])] }
            guard combined & 0xC0 != 0 else { return nil }
            return (0..<length).first { table[Int(text[$0])] == 0xFF }
        }
        if let invalid {
            throw JSONReadError("invalid base64: unexpected character at position \(invalid)")
        }
        return length / 4 * 3 + max(0, length % 4 - 1)
    }

    /// Decodes `text`, checked by ``decodedCount(_:)``, into `output` which holds exactly that many bytes.
    static func decode(_ text: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        guard let input = text.baseAddress, let target = output.baseAddress else { return }
        let byteCount = output.count
        decodeTable.withUnsafeBufferPointer { table in
            var index = 0
            var out = 0
            while out + 3 <= byteCount {
                let chunk = UInt32(table[Int(input.load(fromByteOffset: index, as: UInt8.self))]) << 18
                    | UInt32(table[Int(input.load(fromByteOffset: index + 1, as: UInt8.self))]) << 12
                    | UInt32(table[Int(input.load(fromByteOffset: index + 2, as: UInt8.self))]) << 6
                    | UInt32(table[Int(input.load(fromByteOffset: index + 3, as: UInt8.self))])
                target.storeBytes(of: UInt8(truncatingIfNeeded: chunk >> 16), toByteOffset: out, as: UInt8.self)
                target.storeBytes(of: UInt8(truncatingIfNeeded: chunk >> 8), toByteOffset: out + 1, as: UInt8.self)
                target.storeBytes(of: UInt8(truncatingIfNeeded: chunk), toByteOffset: out + 2, as: UInt8.self)
                index += 4
                out += 3
            }
            guard out < byteCount else { return }
            var chunk = UInt32(table[Int(input.load(fromByteOffset: index, as: UInt8.self))]) << 18
                | UInt32(table[Int(input.load(fromByteOffset: index + 1, as: UInt8.self))]) << 12
            if byteCount - out == 2 {
                chunk |= UInt32(table[Int(input.load(fromByteOffset: index + 2, as: UInt8.self))]) << 6
                target.storeBytes(of: UInt8(truncatingIfNeeded: chunk >> 8), toByteOffset: out + 1, as: UInt8.self)
            }
            target.storeBytes(of: UInt8(truncatingIfNeeded: chunk >> 16), toByteOffset: out, as: UInt8.self)
        }
    }

    /// Decodes `text` (either alphabet, padded or not) into a byte array.
    static func decode(_ text: String) throws(JSONReadError) -> [UInt8] {
        let utf8 = Array(text.utf8)
        let result = utf8.withUnsafeBytes { raw in
            Result { () throws(JSONReadError) -> [UInt8] in
                let count = try decodedCount(raw)
                var output = [UInt8](repeating: 0, count: count)
                output.withUnsafeMutableBytes { decode(raw, into: $0) }
                return output
            }
        }
        return try result.get()
    }
}
