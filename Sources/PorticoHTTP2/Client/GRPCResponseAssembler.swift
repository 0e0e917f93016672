import NIOCore
import PorticoCore

/// Turns the frames of one response stream into messages and a final status.
///
/// A pure value, tested without IO: the connection handler feeds it header blocks, DATA chunks and the
/// stream's close code, in order, and acts on what it returns. It knows the gRPC rules for trailers-only
/// responses, HTTP statuses other than 200, `grpc-status`/`grpc-message`/`grpc-status-details-bin`,
/// `grpc-encoding`, and which failures are safe to retry.
struct GRPCResponseAssembler {
    /// The response headers (metadata part), once received.
    private(set) var headers: GRPCMetadata?
    /// The status and trailers, once received.
    private(set) var status: GRPCStatus?
    private(set) var trailers = GRPCMetadata()
    /// Whether any response frame arrived (then the server saw the request).
    private(set) var receivedAnything = false
    private var httpStatus: Int?
    private var isGRPCContentType = false
    private var reader: GRPCMessageReader
    private var failure: GRPCCallError?

    init(maximumMessageSize: Int) {
        reader = GRPCMessageReader(maximumMessageSize: maximumMessageSize)
    }

    /// The largest message accepted.
    var maximumMessageSize: Int { reader.maximumMessageSize }

    /// Bytes received but not yet returned as messages.
    var bufferedBytes: Int { reader.bufferedBytes }

    /// Takes a received header block. A block with `grpc-status` is the trailers (or a trailers-only
    /// response).
    ///
    /// - Throws: a ``GRPCCallError`` when the block breaks the protocol; the call should then be reset.
    mutating func receiveHeaders(_ fields: [HTTP2HeaderField], kind: NGHTTP2Session.HeaderBlockKind) throws(GRPCCallError) {
        receivedAnything = true
        let isFirstBlock = headers == nil && httpStatus == nil
        if isFirstBlock {
            for field in fields {
                switch field.name {
                case ":status": httpStatus = Int(field.value)
                case "content-type": isGRPCContentType = field.value.hasPrefix("application/grpc")
                case "grpc-encoding": reader.encoding = GRPCMessageReader.Encoding(headerValue: field.value)
                default: break
                }
            }
            if httpStatus != 200 {
                let code = GRPCStatusMapping.fromHTTPStatus(httpStatus ?? 0)
                let error = GRPCCallError.protocolViolation(code, "upstream answered HTTP \(httpStatus.map(String.init) ?? "without status")")
                failure = error
                throw error
            }
        }
        guard let statusField = fields.first(where: { $0.name == "grpc-status" }) else {
            if isFirstBlock {
                headers = GRPCMetadata(wireFields: fields)
                return
            }
            throw record(.protocolViolation(.internal, "trailers without grpc-status"))
        }
        guard let number = Int(statusField.value), number >= 0 else {
            throw record(.protocolViolation(.unknown, "invalid grpc-status \(statusField.value)"))
        }
        if isFirstBlock, !isGRPCContentType {
            throw record(.protocolViolation(.unknown, "response content-type is not application/grpc"))
        }
        var message = ""
        var details: [UInt8]?
        for field in fields {
            if field.name == "grpc-message" { message = GRPCPercentEncoding.decode(field.value) }
            if field.name == "grpc-status-details-bin" { details = Base64.decode(field.value) }
        }
        status = GRPCStatus(code: GRPCStatusCode(rawValue: number), message: message, details: details)
        trailers = GRPCMetadata(wireFields: fields)
        if headers == nil { headers = GRPCMetadata() }
    }

    /// Takes a DATA chunk and returns the messages it completed.
    ///
    /// - Throws: a ``GRPCCallError`` (`RESOURCE_EXHAUSTED` over the size limit, `INTERNAL` for framing or
    ///   compression errors, or DATA before headers); the call should then be reset.
    mutating func receiveData(_ bytes: ByteBuffer, allocator: ByteBufferAllocator) throws(GRPCCallError) -> [GRPCMessageReader.Message] {
        receivedAnything = true
        guard headers != nil, status == nil else {
            throw record(.protocolViolation(.internal, "DATA outside the response body"))
        }
        reader.append(bytes)
        var messages: [GRPCMessageReader.Message] = []
        do {
            while let message = try reader.next(allocator: allocator) { messages.append(message) }
        } catch {
            throw record(GRPCCallError(status: error, kind: .transport))
        }
        return messages
    }

    /// The final outcome once the stream has closed with `errorCode`.
    ///
    /// - Parameter refusedByGoAway: the stream was above the last stream id of a GOAWAY, so the server
    ///   never processed it.
    func finish(errorCode: UInt32, refusedByGoAway: Bool) -> Result<GRPCStatus, GRPCCallError> {
        if let failure { return .failure(failure) }
        if let status, errorCode == NGHTTP2Session.ErrorCode.noError || reader.bufferedBytes == 0 {
            guard reader.bufferedBytes == 0 else {
                return .failure(.protocolViolation(.internal, "stream ended inside a message"))
            }
            if status.code == .ok { return .success(status) }
            return .failure(GRPCCallError(status: status, kind: .status, trailers: trailers))
        }
        let neverProcessed = refusedByGoAway || (errorCode == NGHTTP2Session.ErrorCode.refusedStream && !receivedAnything)
        if neverProcessed {
            return .failure(.unavailable("upstream refused the stream", retryable: true, cause: "stream refused (code \(errorCode))"))
        }
        if errorCode != NGHTTP2Session.ErrorCode.noError {
            let code = GRPCStatusMapping.fromResetCode(errorCode)
            return .failure(.protocolViolation(code, "upstream reset the stream (HTTP/2 error \(errorCode))"))
        }
        return .failure(.protocolViolation(.internal, "upstream closed the stream without grpc-status"))
    }

    private mutating func record(_ error: GRPCCallError) -> GRPCCallError {
        failure = error
        return error
    }
}
