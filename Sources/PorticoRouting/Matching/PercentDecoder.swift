/// Percent-decoding of path variables and query strings, strict about malformed input.
///
/// Path variables follow the rule documented on ``PathTemplate/Variable/isMultiSegment`` (reserved
/// characters kept encoded in multi-segment values); query strings decode every `%XX`, and `+` becomes a
/// space unless the caller opts out.
enum PercentDecoder {
    /// Why a value could not be decoded.
    enum Failure: Error, Equatable {
        /// The offending escape as written (`%zz`, `%4`, `%`).
        case invalidEscape(String)
        case invalidUTF8
    }

    /// Decodes `bytes`, keeping escapes of reserved characters when `keepReserved` is set.
    static func decode<Bytes: RandomAccessCollection<UInt8>>(
        _ bytes: Bytes,
        keepReserved: Bool,
        plusAsSpace: Bool
    ) throws(Failure) -> String {
        guard bytes.contains(where: { $0 == ASCII.percent || (plusAsSpace && $0 == ASCII.plus) }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == ASCII.plus, plusAsSpace {
                output.append(ASCII.space)
                index = bytes.index(after: index)
                continue
            }
            guard byte == ASCII.percent else {
                output.append(byte)
                index = bytes.index(after: index)
                continue
            }
            let escapeEnd = bytes.index(index, offsetBy: 3, limitedBy: bytes.endIndex) ?? bytes.endIndex
            let escape = bytes[index..<escapeEnd]
            guard escape.count == 3,
                  let high = ASCII.hexValue(escape[bytes.index(after: index)]),
                  let low = ASCII.hexValue(escape[bytes.index(index, offsetBy: 2)])
            else {
                throw .invalidEscape(String(decoding: escape, as: UTF8.self))
            }
            let decoded = high << 4 | low
            if keepReserved, isReserved(decoded) {
                output.append(contentsOf: escape)
            } else {
                output.append(decoded)
            }
            index = escapeEnd
        }
        guard let text = String(validating: output, as: UTF8.self) else { throw .invalidUTF8 }
        return text
    }

    /// The RFC 6570 reserved characters (gen-delims and sub-delims), as grpc-httpjson-transcoding lists them.
    static func isReserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","),
             UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "?"),
             UInt8(ascii: "@"), UInt8(ascii: "["), UInt8(ascii: "]"):
            true
        default:
            false
        }
    }
}
