import NIOCore
import NIOHTTP1

/// How a server stream is written to an HTTP client, chosen by the request's `Accept`
/// (``negotiate(accept:)``): each message as it arrives, and an error after the first byte in the format's
/// own way.
///
/// - ``jsonArray`` (`application/json`, the default): `[`, the messages separated by commas, `]`. An error
///   after the first byte cuts the body off without its end (no final chunk on HTTP/1.1, `RST_STREAM` on
///   HTTP/2), so no client mistakes a broken array for a complete one; Envoy's transcoder writes the same
///   array.
/// - ``ndjson`` (`application/x-ndjson`): one message per line. An error ends the stream with one last
///   line `{"error":<google.rpc.Status>}`. grpc-gateway wraps every line (`{"result":…}`); Portico writes
///   each message as a unary call would answer it, so a client parses lines with the same code.
/// - ``serverSentEvents`` (`text/event-stream`): one `data:` event per message, a comment line as a
///   heartbeat, and an error as `event: error` with the status as its data.
/// - ``raw``: the bytes of `google.api.HttpBody` messages one after another, with the first one's content
///   type; an error cuts the body off, as for the array.
enum StreamFormat: Sendable, Equatable {
    case jsonArray
    case ndjson
    case serverSentEvents
    case raw

    /// The JSON format the client's `Accept` prefers: the listed type with the highest `q` among
    /// `text/event-stream`, `application/x-ndjson` and `application/json` (the first listed on a tie), and
    /// the array when none is listed (no `Accept`, `*/*`, or only other types).
    static func negotiate(accept: String?) -> StreamFormat {
        guard let accept else { return .jsonArray }
        var best: (format: StreamFormat, quality: Double)?
        for range in accept.split(separator: ",") {
            let parameters = range.split(separator: ";")
            guard let type = parameters.first.map({ Self.trimmed($0).lowercased() }) else { continue }
            let format: StreamFormat
            switch type {
            case "text/event-stream": format = .serverSentEvents
            case "application/x-ndjson": format = .ndjson
            case "application/json": format = .jsonArray
            default: continue
            }
            var quality = 1.0
            for parameter in parameters.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map(Self.trimmed)
                if pair.count == 2, pair[0].lowercased() == "q", let value = Double(pair[1]), (0...1).contains(value) { quality = value }
            }
            if quality > 0, quality > best?.quality ?? 0 { best = (format, quality) }
        }
        return best?.format ?? .jsonArray
    }

    /// `text` without the spaces and tabs around it.
    private static func trimmed(_ text: Substring) -> String {
        String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    /// The response's content type; `raw` takes its first message's.
    var contentType: String {
        switch self {
        case .jsonArray: "application/json"
        case .ndjson: "application/x-ndjson"
        case .serverSentEvents: "text/event-stream"
        case .raw: "application/octet-stream"
        }
    }

    /// The bytes of message number `index` (from 0), given its JSON (or raw data).
    func element(_ data: ByteBuffer, index: Int) -> ByteBuffer {
        var chunk = ByteBuffer()
        switch self {
        case .jsonArray:
            chunk.reserveCapacity(data.readableBytes + 1)
            chunk.writeInteger(index == 0 ? UInt8(ascii: "[") : UInt8(ascii: ","))
            chunk.writeImmutableBuffer(data)
        case .ndjson:
            chunk.reserveCapacity(data.readableBytes + 1)
            chunk.writeImmutableBuffer(data)
            chunk.writeInteger(UInt8(ascii: "\n"))
        case .serverSentEvents:
            chunk.reserveCapacity(data.readableBytes + 8)
            chunk.writeStaticString("data: ")
            chunk.writeImmutableBuffer(data)
            chunk.writeStaticString("\n\n")
        case .raw:
            return data
        }
        return chunk
    }

    /// What ends a complete stream of `count` messages.
    func end(count: Int) -> ByteBuffer? {
        switch self {
        case .jsonArray: ByteBuffer(string: count == 0 ? "[]" : "]")
        case .ndjson, .serverSentEvents, .raw: nil
        }
    }

    /// The last piece of a stream that failed after its first byte, given the `google.rpc.Status` JSON;
    /// `nil` when the format has no way to say it and the body must be cut off instead.
    func failure(_ status: ByteBuffer) -> ByteBuffer? {
        var chunk = ByteBuffer()
        switch self {
        case .jsonArray, .raw:
            return nil
        case .ndjson:
            chunk.writeStaticString(#"{"error":"#)
            chunk.writeImmutableBuffer(status)
            chunk.writeStaticString("}\n")
        case .serverSentEvents:
            chunk.writeStaticString("event: error\ndata: ")
            chunk.writeImmutableBuffer(status)
            chunk.writeStaticString("\n\n")
        }
        return chunk
    }

    /// A line that keeps an idle stream open without carrying a message; only Server-Sent Events have one
    /// (a comment).
    var heartbeat: ByteBuffer? {
        self == .serverSentEvents ? ByteBuffer(string: ": heartbeat\n\n") : nil
    }

    /// The `Last-Event-ID` a reconnecting Server-Sent Events client sends, passed to the backend as the
    /// `last-event-id` metadata so it can resume; `nil` when absent, longer than 256 bytes, or not printable
    /// ASCII (which gRPC metadata cannot carry).
    static func lastEventID(in headers: HTTPHeaders) -> String? {
        guard let value = headers.first(name: "last-event-id"), !value.isEmpty, value.utf8.count <= 256,
              value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F })
        else { return nil }
        return value
    }
}
