/// Percent-decoding of path variables and query strings, strict about malformed input.
///
/// The rule for path variables follows the HttpRule spec and Envoy's default
/// (`url_unescape_spec: ALL_CHARACTERS_EXCEPT_RESERVED`):
/// - a variable that covers exactly one template segment (`{name}`, `{name=*}`, `{name=literal}`) is fully
///   decoded: every `%XX` becomes its byte, so `%2F` becomes `/`;
/// - a variable that covers several segments or contains `**` (`{name=shelves/*}`, `{path=**}`) decodes every
///   `%XX` except those that encode an RFC 6570 reserved character — `! # $ & ' ( ) * + , / : ; = ? @ [ ]` —
///   which stay exactly as written (`%2F` and `%2f` stay, so a decoded `/` never looks like a separator);
/// - `+` is never a space in a path;
/// - a `%` not followed by two hex digits is an error (Envoy would pass it through; Portico answers 400), and
///   so are decoded bytes that are not valid UTF-8.
///
/// Query strings decode every `%XX`, and `+` becomes a space unless the caller opts out.
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
