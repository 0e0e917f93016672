/// Base64 for `bytes` fields: the standard alphabet with padding out; standard or URL-safe, padded or not, in.
enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Each byte's 6-bit value in either alphabet, or 0xFF.
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    /// Appends the standard, padded encoding of `data`.
    static func encode(_ data: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        var index = 0
        output.reserveCapacity(output.count + (data.count + 2) / 3 * 4)
        while index + 3 <= data.count {
            let chunk = UInt32(data[index]) << 16 | UInt32(data[index + 1]) << 8 | UInt32(data[index + 2])
            output.append(alphabet[Int(chunk >> 18)])
            output.append(alphabet[Int(chunk >> 12 & 0x3F)])
            output.append(alphabet[Int(chunk >> 6 & 0x3F)])
            output.append(alphabet[Int(chunk & 0x3F)])
            index += 3
        }
        let remaining = data.count - index
        if remaining == 1 {
            let chunk = UInt32(data[index]) << 16
            output.append(alphabet[Int(chunk >> 18)])
            output.append(alphabet[Int(chunk >> 12 & 0x3F)])
            output.append(UInt8(ascii: "="))
            output.append(UInt8(ascii: "="))
        } else if remaining == 2 {
            let chunk = UInt32(data[index]) << 16 | UInt32(data[index + 1]) << 8
            output.append(alphabet[Int(chunk >> 18)])
            output.append(alphabet[Int(chunk >> 12 & 0x3F)])
            output.append(alphabet[Int(chunk >> 6 & 0x3F)])
            output.append(UInt8(ascii: "="))
        }
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
        for index in 0..<length where decodeTable[Int(text[index])] == 0xFF {
            throw JSONReadError("invalid base64: unexpected character at position \(index)")
        }
        return length / 4 * 3 + max(0, length % 4 - 1)
    }

    /// Decodes `text`, checked by ``decodedCount(_:)``, into `output` which holds exactly that many bytes.
    static func decode(_ text: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        var out = 0
        var accumulator: UInt32 = 0
        var bits = 0
        for index in 0..<text.count {
            let value = decodeTable[Int(text[index])]
            if value == 0xFF { break }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                if out < output.count { output[out] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)) }
                out += 1
            }
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
