import Foundation
import NIOCore
import NIOHTTP1
import PorticoCore
import PorticoHTTP2

/// HTTP content codings at the public listener (RFC 9110 §8.4, §12.5.3): gzip answers for clients that accept
/// them, and gzip request bodies inflated under the body limit.
enum ContentCoding {
    /// Answers shorter than this are sent as they are: gzip's header and the CPU would outweigh the saving.
    static let minimumBytes = 1024

    /// Whether `Accept-Encoding` accepts gzip: named (or `*`) with a q-value above zero.
    static func acceptsGzip(_ headers: HTTPHeaders) -> Bool {
        var gzip: Bool?
        var wildcard: Bool?
        for value in headers["accept-encoding"] {
            for item in value.split(separator: ",") {
                let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                guard let coding = parts.first else { continue }
                let allowed = !parts.dropFirst().contains { parameter in
                    guard parameter.hasPrefix("q=") else { return false }
                    return (Double(parameter.dropFirst(2)) ?? 1) <= 0
                }
                if coding == "gzip" || coding == "x-gzip" { gzip = allowed }
                if coding == "*" { wildcard = allowed }
            }
        }
        return gzip ?? wildcard ?? false
    }

    /// Whether an answer of this type is worth compressing: JSON, NDJSON and text.
    static func isCompressible(contentType: String?) -> Bool {
        guard let contentType else { return false }
        let media = contentType.prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces).lowercased()
        return media == "application/json" || media.hasSuffix("+json") || media == "application/x-ndjson" || media.hasPrefix("text/")
    }

    /// Compresses `body` when the answer qualifies and the client accepts gzip, adjusting the headers
    /// (`Content-Encoding`, `Vary: Accept-Encoding`, a weak `ETag`); a qualifying answer gets the `Vary` either
    /// way, so a shared cache keeps the two forms apart.
    static func encode(
        _ body: ByteBuffer, status: HTTPResponseStatus, headers: inout HTTPHeaders, request: HTTPHeaders, allocator: ByteBufferAllocator
    ) -> ByteBuffer {
        guard body.readableBytes >= minimumBytes, status.code >= 200, status != .noContent, status != .notModified,
              !headers.contains(name: "content-encoding"), isCompressible(contentType: headers.first(name: "content-type"))
        else { return body }
        addVary(&headers)
        guard acceptsGzip(request), let compressed = GzipDeflater.compress(body, allocator: allocator) else { return body }
        headers.replaceOrAdd(name: "content-encoding", value: "gzip")
        if let etag = headers.first(name: "etag"), !etag.hasPrefix("W/") { headers.replaceOrAdd(name: "etag", value: "W/" + etag) }
        return compressed
    }

    private static func addVary(_ headers: inout HTTPHeaders) {
        let present = headers["vary"].contains { value in
            value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "accept-encoding" }
        }
        if !present { headers.add(name: "vary", value: "Accept-Encoding") }
    }

    /// A request body in its `Content-Encoding`, decoded: gzip inflated up to `limit` bytes, identity as it is.
    ///
    /// - Throws: 413 when the inflated body passes `limit` (a zip bomb stops there), 400 for bytes that are
    ///   not gzip, 415 with `Accept-Encoding: gzip` for another coding.
    static func decode(_ body: ByteBuffer, headers: inout HTTPHeaders, limit: Int, allocator: ByteBufferAllocator) throws(GatewayError) -> ByteBuffer {
        guard let coding = headers.first(name: "content-encoding")?.trimmingCharacters(in: .whitespaces).lowercased(),
              coding != "identity" else { return body }
        guard coding == "gzip" || coding == "x-gzip" else {
            throw GatewayError(
                code: .invalidArgument, message: "the request body's content-encoding must be gzip or identity", source: .client,
                httpStatus: 415, headers: [("accept-encoding", "gzip")]
            )
        }
        let inflated: ByteBuffer
        do {
            inflated = try ZlibInflater(format: .gzip).inflate(body, limit: limit, allocator: allocator)
        } catch {
            if error.code == .resourceExhausted {
                throw GatewayError(code: .resourceExhausted, message: "the request body is larger than \(limit) bytes", source: .client, httpStatus: 413)
            }
            throw GatewayError.invalidArgument("the request body is not valid gzip")
        }
        headers.remove(name: "content-encoding")
        headers.replaceOrAdd(name: "content-length", value: String(inflated.readableBytes))
        return inflated
    }
}
