/// gRPC custom metadata: ordered name/value pairs sent as HTTP/2 headers or trailers.
///
/// Names are lower case. A name ending in `-bin` carries bytes, base64-encoded on the wire; every other
/// value is printable ASCII. Reserved names (pseudo-headers, `content-type`, `te`, `grpc-*` transport
/// fields) are never part of metadata: they are dropped when sending and filtered out when receiving.
public struct GRPCMetadata: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// Literal keys are metadata names.
    public typealias Key = String
    /// Literal values are text values.
    public typealias Value = String

    /// One metadata value.
    public enum EntryValue: Sendable, Hashable {
        case text(String)
        case binary([UInt8])
    }

    /// One name/value pair.
    public struct Entry: Sendable, Hashable {
        /// The lower-case name.
        public var name: String
        /// The text or bytes.
        public var value: EntryValue
    }

    /// Every entry, in order.
    public private(set) var entries: [Entry] = []

    /// Empty metadata.
    public init() {}

    /// Text metadata from literal pairs (`["x-user": "ada"]`).
    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { add(name, value) }
    }

    /// Appends a text value; the name is lower-cased.
    public mutating func add(_ name: String, _ value: String) {
        entries.append(Entry(name: name.lowercased(), value: .text(value)))
    }

    /// Appends a binary value; the name must end in `-bin` for it to be sent.
    public mutating func add(_ name: String, binary value: [UInt8]) {
        entries.append(Entry(name: name.lowercased(), value: .binary(value)))
    }

    /// The first text value under `name`.
    public subscript(_ name: String) -> String? {
        let key = name.lowercased()
        for entry in entries where entry.name == key {
            if case .text(let text) = entry.value { return text }
        }
        return nil
    }

    /// The first binary value under `name` (a `-bin` key).
    public func binary(_ name: String) -> [UInt8]? {
        let key = name.lowercased()
        for entry in entries where entry.name == key {
            if case .binary(let bytes) = entry.value { return bytes }
        }
        return nil
    }

    /// Whether there are no entries.
    public var isEmpty: Bool { entries.isEmpty }

    /// Iterates the entries in order.
    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }

    // MARK: Wire form

    /// Whether a header name carries the transport, never metadata.
    static func isReserved(_ name: String) -> Bool {
        switch name {
        case "content-type", "te", "user-agent", "grpc-timeout", "grpc-encoding", "grpc-accept-encoding",
            "grpc-status", "grpc-message", "grpc-status-details-bin", "connection", "host", "content-length":
            true
        default:
            false
        }
    }

    /// Metadata from received header fields: reserved names are skipped, `-bin` values decoded (each
    /// comma-separated part on its own); a `-bin` value that is not base64 is dropped.
    init(wireFields: [HTTP2HeaderField]) {
        for field in wireFields where !field.name.hasPrefix(":") && !Self.isReserved(field.name) {
            if field.name.hasSuffix("-bin") {
                for part in field.value.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let bytes = Base64.decode(part.trimmingSpaces()) else { continue }
                    entries.append(Entry(name: field.name, value: .binary(bytes)))
                }
            } else {
                entries.append(Entry(name: field.name, value: .text(field.value)))
            }
        }
    }

    /// The header fields to send; entries with reserved or invalid names, or text values that are not
    /// printable ASCII, are left out so that a bad entry cannot break the request.
    var wireFields: [HTTP2HeaderField] {
        var fields: [HTTP2HeaderField] = []
        fields.reserveCapacity(entries.count)
        for entry in entries where Self.isSendableName(entry.name) {
            switch entry.value {
            case .binary(let bytes):
                guard entry.name.hasSuffix("-bin") else { continue }
                fields.append(HTTP2HeaderField(name: entry.name, value: Base64.encode(bytes)))
            case .text(let text):
                guard !entry.name.hasSuffix("-bin"), text.utf8.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }) else { continue }
                fields.append(HTTP2HeaderField(name: entry.name, value: text))
            }
        }
        return fields
    }

    private static func isSendableName(_ name: String) -> Bool {
        guard !name.isEmpty, !isReserved(name) else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var result = self
        while result.first == " " { result = result.dropFirst() }
        while result.last == " " { result = result.dropLast() }
        return result
    }
}
