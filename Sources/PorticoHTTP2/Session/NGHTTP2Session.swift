import CNGHTTP2
import NIOCore

/// The owner of one `nghttp2_session`: every nghttp2 call Portico makes is in this file.
///
/// The session is confined to its channel's event loop and is not `Sendable`. nghttp2 calls back into it
/// only from inside ``receive(_:)`` and ``pendingOutput()``; those callbacks do nothing but record an
/// ``Event`` (or copy queued body bytes out), and the owning channel handler drains the events after the
/// C call has returned. That keeps promise completions and pipeline calls out of nghttp2's stack.
///
/// The `ssize_t` APIs of nghttp2 1.52 are used here and only here, so moving to the `nghttp2_ssize`
/// variants touches this file alone.
package final class NGHTTP2Session {
    /// Which end of the connection this session is.
    package enum Role {
        case client
        case server
    }

    /// What a received header block is, from nghttp2's header category.
    package enum HeaderBlockKind: Equatable {
        case request
        case response
        case trailers
    }

    /// Something nghttp2 reported while reading or writing.
    package enum Event {
        case headers(streamID: Int32, kind: HeaderBlockKind, fields: [HTTP2HeaderField])
        case data(streamID: Int32, bytes: ByteBuffer)
        /// The peer set END_STREAM on a HEADERS or DATA frame.
        case endOfStream(streamID: Int32)
        case streamClosed(streamID: Int32, errorCode: UInt32)
        case goAway(lastStreamID: Int32, errorCode: UInt32)
        case remoteSettings(maxConcurrentStreams: UInt32)
        case pingAcknowledged
        /// A header block went past ``Settings/maxHeaderListSize``; its fields were dropped.
        case oversizedHeaders(streamID: Int32, kind: HeaderBlockKind)
        /// The peer broke one of the ``Settings/abuseLimits``; the session sent GOAWAY (`ENHANCE_YOUR_CALM`)
        /// and takes no new streams.
        case peerMisbehaved(HTTP2Abuse)
    }

    /// Local settings sent in the first SETTINGS frame.
    package struct Settings {
        package var maxConcurrentStreams: UInt32?
        package var initialStreamWindowSize: Int32
        package var connectionWindowSize: Int32
        /// When `false`, received DATA counts against the windows until ``consume(streamID:bytes:)``.
        package var automaticWindowUpdates: Bool
        /// The largest header block accepted (names, values and 32 bytes a field, as RFC 9113 §6.5.2 counts);
        /// announced in SETTINGS. A larger one arrives as ``Event/oversizedHeaders(streamID:kind:)``.
        package var maxHeaderListSize: UInt32?
        /// Floods the session answers with GOAWAY; `nil` for a trusted peer.
        package var abuseLimits: HTTP2AbuseLimits?

        package init(
            maxConcurrentStreams: UInt32?, initialStreamWindowSize: Int32, connectionWindowSize: Int32, automaticWindowUpdates: Bool,
            maxHeaderListSize: UInt32? = nil, abuseLimits: HTTP2AbuseLimits? = nil
        ) {
            self.maxConcurrentStreams = maxConcurrentStreams
            self.initialStreamWindowSize = initialStreamWindowSize
            self.connectionWindowSize = connectionWindowSize
            self.automaticWindowUpdates = automaticWindowUpdates
            self.maxHeaderListSize = maxHeaderListSize
            self.abuseLimits = abuseLimits
        }
    }

    /// A failed nghttp2 call.
    package struct Failure: Error, CustomStringConvertible {
        package var code: Int
        package var description: String {
            "nghttp2 error \(code): " + String(cString: nghttp2_strerror(Int32(truncatingIfNeeded: code)))
        }
    }

    /// HTTP/2 error codes (RFC 9113 §7) used by Portico.
    package enum ErrorCode {
        package static let noError = NGHTTP2_NO_ERROR.rawValue
        package static let internalError = NGHTTP2_INTERNAL_ERROR.rawValue
        package static let refusedStream = NGHTTP2_REFUSED_STREAM.rawValue
        package static let cancel = NGHTTP2_CANCEL.rawValue
        package static let enhanceYourCalm = NGHTTP2_ENHANCE_YOUR_CALM.rawValue
        package static let inadequateSecurity = NGHTTP2_INADEQUATE_SECURITY.rawValue
    }

    /// The body bytes waiting to be sent on one stream, read by nghttp2's data-source callback.
    private final class OutboundBody {
        var chunks = CircularBuffer<ByteBuffer>()
        /// The bytes in ``chunks``.
        var queuedBytes = 0
        var ended = false
        var trailers: [HTTP2HeaderField]?
        var deferred = false
    }

    private var session: OpaquePointer?
    /// The first submit nghttp2 refused outside a throwing call; the session is then failed and
    /// ``pendingOutput()`` throws it, so the connection closes.
    private var refusal: Failure?
    private var events: [Event] = []
    private var eventCursor = 0
    private var outbound: [Int32: OutboundBody] = [:]
    private var headerFields: [HTTP2HeaderField] = []
    /// The bytes of the header block being read, as SETTINGS_MAX_HEADER_LIST_SIZE counts them.
    private var headerBlockBytes = 0
    private let maxHeaderListSize: Int
    private var abuse: HTTP2AbuseGuard?
    private let allocator: ByteBufferAllocator

    /// Creates the session and queues the connection preface and SETTINGS.
    package init(role: Role, settings: Settings, allocator: ByteBufferAllocator = ByteBufferAllocator()) throws {
        self.allocator = allocator
        maxHeaderListSize = settings.maxHeaderListSize.map { Int($0) } ?? Int.max
        abuse = settings.abuseLimits.map(HTTP2AbuseGuard.init)
        var callbacks: OpaquePointer?
        try Self.check(Int(nghttp2_session_callbacks_new(&callbacks)))
        defer { nghttp2_session_callbacks_del(callbacks) }
        Self.installCallbacks(callbacks)
        var option: OpaquePointer?
        try Self.check(Int(nghttp2_option_new(&option)))
        defer { nghttp2_option_del(option) }
        nghttp2_option_set_no_auto_window_update(option, settings.automaticWindowUpdates ? 0 : 1)
        if let limits = settings.abuseLimits {
            nghttp2_option_set_max_continuations(option, limits.maxContinuationFrames)
            nghttp2_option_set_max_outbound_ack(option, limits.maxQueuedAcknowledgements)
            nghttp2_option_set_max_settings(option, limits.maxSettingsEntries)
        }
        let userData = Unmanaged.passUnretained(self).toOpaque()
        var created: OpaquePointer?
        switch role {
        case .client: try Self.check(Int(nghttp2_session_client_new2(&created, callbacks, userData, option)))
        case .server: try Self.check(Int(nghttp2_session_server_new2(&created, callbacks, userData, option)))
        }
        session = created
        var entries = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0),
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue),
                value: UInt32(settings.initialStreamWindowSize)
            ),
        ]
        if let limit = settings.maxConcurrentStreams {
            entries.append(nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: limit))
        }
        if let limit = settings.maxHeaderListSize {
            entries.append(nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue), value: limit))
        }
        try Self.check(Int(nghttp2_submit_settings(created, UInt8(NGHTTP2_FLAG_NONE.rawValue), entries, entries.count)))
        try Self.check(Int(nghttp2_session_set_local_window_size(created, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, settings.connectionWindowSize)))
    }

    deinit {
        nghttp2_session_del(session)
    }

    // MARK: Reading and writing

    /// Feeds received bytes to nghttp2; the events they produced are then in ``nextEvent()``.
    package func receive(_ buffer: ByteBuffer) throws {
        let consumed = buffer.withUnsafeReadableBytes { bytes -> Int in
            guard let base = bytes.baseAddress else { return 0 }
            return nghttp2_session_mem_recv(session, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        }
        try Self.check(consumed)
    }

    /// Everything nghttp2 wants to send now, in one buffer, or `nil` when there is nothing.
    package func pendingOutput() throws -> ByteBuffer? {
        if let refusal { throw refusal }
        var output: ByteBuffer?
        while true {
            var chunk: UnsafePointer<UInt8>?
            let length = nghttp2_session_mem_send(session, &chunk)
            try Self.check(length)
            guard length > 0, let chunk else { break }
            let bytes = UnsafeRawBufferPointer(start: chunk, count: length)
            if output == nil {
                output = allocator.buffer(capacity: Swift.max(length, 1024))
            }
            output!.writeBytes(bytes)
        }
        return output
    }

    /// The oldest event not yet handed out, or `nil` when all have been. Events recorded while the
    /// caller handles one (a submit that made nghttp2 close a stream) come after it, in order.
    package func nextEvent() -> Event? {
        guard eventCursor < events.count else {
            if !events.isEmpty {
                events.removeAll(keepingCapacity: true)
                eventCursor = 0
            }
            return nil
        }
        let event = events[eventCursor]
        eventCursor += 1
        return event
    }

    /// Whether events are waiting in ``nextEvent()``.
    package var hasEvents: Bool { eventCursor < events.count }

    /// `false` once nghttp2 neither reads nor writes any more (after GOAWAY both ways, or a fatal error).
    package var isAlive: Bool {
        nghttp2_session_want_read(session) != 0 || nghttp2_session_want_write(session) != 0
    }

    /// The highest stream id the peer opened and we processed (for a server's GOAWAY).
    package var lastProcessedStreamID: Int32 { nghttp2_session_get_last_proc_stream_id(session) }

    // MARK: Submitting frames

    /// Opens a request stream with `headers` and queues `body`, followed by END_STREAM unless `endStream` is
    /// `false` (more body comes with ``sendData(streamID:bytes:)`` and ``finishBody(streamID:)``).
    ///
    /// - Returns: the new stream id.
    /// - Throws: ``Failure`` when no stream can be opened (for example the stream ids are exhausted).
    package func submitRequest(headers: [HTTP2HeaderField], body: ByteBuffer, endStream: Bool = true) throws -> Int32 {
        var provider = nghttp2_data_provider(source: nghttp2_data_source(ptr: nil), read_callback: Self.readBody)
        let streamID = withHeaderVector(headers) { vector, count in
            nghttp2_submit_request(session, nil, vector, count, &provider, nil)
        }
        try Self.check(Int(streamID))
        let pending = OutboundBody()
        pending.queuedBytes = body.readableBytes
        pending.chunks.append(body)
        pending.ended = endStream
        outbound[streamID] = pending
        return streamID
    }

    /// Sends response headers; with `endStream` they end the stream (a trailers-only response).
    package func submitResponse(streamID: Int32, headers: [HTTP2HeaderField], endStream: Bool) throws {
        if endStream {
            try Self.check(Int(withHeaderVector(headers) { nghttp2_submit_response(session, streamID, $0, $1, nil) }))
            return
        }
        var provider = nghttp2_data_provider(source: nghttp2_data_source(ptr: nil), read_callback: Self.readBody)
        try Self.check(Int(withHeaderVector(headers) { nghttp2_submit_response(session, streamID, $0, $1, &provider) }))
        outbound[streamID] = OutboundBody()
    }

    /// Sends a whole response: `headers`, then `body` (when not empty) and END_STREAM.
    package func submitResponse(streamID: Int32, headers: [HTTP2HeaderField], body: ByteBuffer) throws {
        guard body.readableBytes > 0 else {
            try submitResponse(streamID: streamID, headers: headers, endStream: true)
            return
        }
        try submitResponse(streamID: streamID, headers: headers, endStream: false)
        sendData(streamID: streamID, bytes: body)
        finishBody(streamID: streamID)
    }

    /// Ends a stream's body (END_STREAM) after what is queued, without trailers.
    package func finishBody(streamID: Int32) {
        guard let body = outbound[streamID], !body.ended else { return }
        body.ended = true
        resumeIfDeferred(streamID: streamID, body: body)
    }

    /// Queues body bytes on a stream whose body is open (``submitResponse(streamID:headers:endStream:)``, or
    /// ``submitRequest(headers:body:endStream:)`` without END_STREAM).
    package func sendData(streamID: Int32, bytes: ByteBuffer) {
        guard let body = outbound[streamID], !body.ended else { return }
        body.queuedBytes += bytes.readableBytes
        body.chunks.append(bytes)
        resumeIfDeferred(streamID: streamID, body: body)
    }

    /// Ends a response stream with trailers after the queued body.
    package func sendTrailers(streamID: Int32, trailers: [HTTP2HeaderField]) {
        guard let body = outbound[streamID], !body.ended else { return }
        body.ended = true
        body.trailers = trailers
        resumeIfDeferred(streamID: streamID, body: body)
    }

    /// The bytes of queued body not yet handed to nghttp2 on a stream.
    package func queuedBodyBytes(streamID: Int32) -> Int {
        outbound[streamID]?.queuedBytes ?? 0
    }

    /// Resets a stream with an HTTP/2 error code (RST_STREAM).
    package func resetStream(streamID: Int32, errorCode: UInt32) {
        outbound[streamID] = nil
        record(nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, errorCode))
    }

    /// Sends GOAWAY naming `lastStreamID` as the last stream this end will process.
    package func submitGoAway(lastStreamID: Int32, errorCode: UInt32) {
        record(nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), lastStreamID, errorCode, nil, 0))
    }

    /// Sends the first GOAWAY of a graceful shutdown (a server's): the largest stream id, so the streams the
    /// client sent before it sees this are still processed (RFC 9113 §6.8).
    package func submitShutdownNotice() {
        record(nghttp2_submit_shutdown_notice(session))
    }

    /// Sends a PING; its acknowledgement arrives as ``Event/pingAcknowledged``.
    package func submitPing() {
        record(nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil))
    }

    /// Gives `bytes` of received DATA back to the peer's stream and connection windows.
    package func consume(streamID: Int32, bytes: Int) {
        guard bytes > 0 else { return }
        record(nghttp2_session_consume(session, streamID, bytes))
    }

    // MARK: Private

    private func resumeIfDeferred(streamID: Int32, body: OutboundBody) {
        guard body.deferred else { return }
        body.deferred = false
        record(nghttp2_session_resume_data(session, streamID))
    }

    /// Keeps the first refusal of a call that cannot throw (its caller is inside a channel event): nghttp2
    /// refuses these only when out of memory or when Portico broke the protocol, and either way the
    /// connection cannot go on.
    private func record(_ result: Int32) {
        if result < 0, refusal == nil { refusal = Failure(code: Int(result)) }
    }

    /// Lays `fields` out as an `nghttp2_nv` array that lives for the duration of `body`.
    ///
    /// Names and values are copied into one temporary buffer (on the stack when small), so building the
    /// vector costs no heap allocation; nghttp2 copies what it keeps during the submit call.
    private func withHeaderVector<Result>(
        _ fields: [HTTP2HeaderField],
        _ body: (UnsafePointer<nghttp2_nv>, Int) -> Result
    ) -> Result {
        var byteCount = 0
        for field in fields { byteCount += field.name.utf8.count + field.value.utf8.count }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(byteCount, 1)) { bytes in
            withUnsafeTemporaryAllocation(of: nghttp2_nv.self, capacity: max(fields.count, 1)) { vector in
                var offset = 0
                for (index, field) in fields.enumerated() {
                    let name = Self.copy(field.name, into: bytes, at: &offset)
                    let value = Self.copy(field.value, into: bytes, at: &offset)
                    vector.initializeElement(
                        at: index,
                        to: nghttp2_nv(
                            name: name.start,
                            value: value.start,
                            namelen: name.count,
                            valuelen: value.count,
                            flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)
                        )
                    )
                }
                return body(UnsafePointer(vector.baseAddress!), fields.count)
            }
        }
    }

    /// Copies the UTF-8 of `string` into `bytes` at `offset` and advances it.
    private static func copy(
        _ string: String,
        into bytes: UnsafeMutableBufferPointer<UInt8>,
        at offset: inout Int
    ) -> (start: UnsafeMutablePointer<UInt8>, count: Int) {
        let start = bytes.baseAddress! + offset
        var string = string
        let count = string.withUTF8 { utf8 -> Int in
            if let source = utf8.baseAddress { start.update(from: source, count: utf8.count) }
            return utf8.count
        }
        offset += count
        return (start, count)
    }

    private static func check(_ result: Int) throws {
        if result < 0 { throw Failure(code: result) }
    }

    private static func owner(_ userData: UnsafeMutableRawPointer?) -> NGHTTP2Session {
        Unmanaged<NGHTTP2Session>.fromOpaque(userData!).takeUnretainedValue()
    }

    /// nghttp2's data-source read callback: copies queued body bytes, defers when none are queued yet.
    private static let readBody: nghttp2_data_source_read_callback = { _, streamID, buffer, length, flags, _, userData in
        let owner = NGHTTP2Session.owner(userData)
        guard let body = owner.outbound[streamID], let buffer else {
            flags?.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            return 0
        }
        var written = 0
        while written < length, var chunk = body.chunks.first {
            let count = Swift.min(length - written, chunk.readableBytes)
            chunk.withUnsafeReadableBytes { bytes in
                (buffer + written).update(from: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count)
            }
            written += count
            body.queuedBytes -= count
            chunk.moveReaderIndex(forwardBy: count)
            if chunk.readableBytes == 0 {
                body.chunks.removeFirst()
            } else {
                body.chunks[body.chunks.startIndex] = chunk
            }
        }
        guard body.chunks.isEmpty else { return written }
        if body.ended {
            flags?.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            if let trailers = body.trailers {
                flags?.pointee |= NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
                let submitted = owner.withHeaderVector(trailers) { vector, count in
                    nghttp2_submit_trailer(owner.session, streamID, vector, count)
                }
                // Without its trailers the response would look complete; reset the stream instead.
                if submitted < 0 { return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue) }
            }
            return written
        }
        if written == 0 {
            body.deferred = true
            return Int(NGHTTP2_ERR_DEFERRED.rawValue)
        }
        return written
    }

    private static func installCallbacks(_ callbacks: OpaquePointer?) {
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, _, userData in
            let owner = NGHTTP2Session.owner(userData)
            owner.headerFields.removeAll(keepingCapacity: true)
            owner.headerBlockBytes = 0
            return 0
        }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, _, name, nameLength, value, valueLength, _, userData in
            let owner = NGHTTP2Session.owner(userData)
            owner.headerBlockBytes += nameLength + valueLength + 32
            guard owner.headerBlockBytes <= owner.maxHeaderListSize else {
                owner.headerFields.removeAll(keepingCapacity: true)
                return 0
            }
            let field = HTTP2HeaderField(
                name: String(decoding: UnsafeBufferPointer(start: name, count: nameLength), as: UTF8.self),
                value: String(decoding: UnsafeBufferPointer(start: value, count: valueLength), as: UTF8.self)
            )
            owner.headerFields.append(field)
            return 0
        }
        nghttp2_session_callbacks_set_on_begin_frame_callback(callbacks) { session, header, userData in
            guard let header else { return 0 }
            NGHTTP2Session.owner(userData).screen(header.pointee, session: session)
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, streamID, data, length, userData in
            let owner = NGHTTP2Session.owner(userData)
            var bytes = owner.allocator.buffer(capacity: length)
            bytes.writeBytes(UnsafeRawBufferPointer(start: data, count: length))
            owner.events.append(.data(streamID: streamID, bytes: bytes))
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, errorCode, userData in
            let owner = NGHTTP2Session.owner(userData)
            owner.outbound[streamID] = nil
            owner.events.append(.streamClosed(streamID: streamID, errorCode: errorCode))
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { session, frame, userData in
            guard let frame else { return 0 }
            NGHTTP2Session.owner(userData).record(frame: frame.pointee, session: session)
            return 0
        }
    }

    /// Charges a frame the peer is starting to send against the abuse budgets, before nghttp2 acts on it.
    private func screen(_ header: nghttp2_frame_hd, session: OpaquePointer?) {
        guard abuse != nil else { return }
        let isAcknowledgement = header.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) != 0
        let endsStream = header.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
        let isControl: Bool
        switch UInt32(header.type) {
        case NGHTTP2_PING.rawValue, NGHTTP2_SETTINGS.rawValue: isControl = !isAcknowledgement
        case NGHTTP2_PRIORITY.rawValue: isControl = true
        case NGHTTP2_DATA.rawValue, NGHTTP2_CONTINUATION.rawValue: isControl = header.length == 0 && !endsStream
        case NGHTTP2_HEADERS.rawValue: isControl = false
        default: isControl = UInt32(header.type) > NGHTTP2_CONTINUATION.rawValue
        }
        let type = UInt32(header.type)
        if type == NGHTTP2_HEADERS.rawValue || type == NGHTTP2_CONTINUATION.rawValue,
            abuse?.admitHeaderFrame(continues: type == NGHTTP2_CONTINUATION.rawValue) == false
        {
            terminate(session: session, for: .continuationFlood)
        }
        if isControl, abuse?.admitControlFrame() == false { terminate(session: session, for: .controlFrameFlood) }
    }

    /// Ends a session whose peer broke a limit: GOAWAY with `ENHANCE_YOUR_CALM`, once.
    private func terminate(session: OpaquePointer?, for abuse: HTTP2Abuse) {
        guard self.abuse?.isTerminated == false else { return }
        self.abuse?.isTerminated = true
        record(nghttp2_session_terminate_session(session, ErrorCode.enhanceYourCalm))
        events.append(.peerMisbehaved(abuse))
    }

    private func record(frame: nghttp2_frame, session: OpaquePointer?) {
        let header = frame.hd
        let endStream = header.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
        switch UInt32(header.type) {
        case NGHTTP2_HEADERS.rawValue:
            let kind: HeaderBlockKind =
                switch frame.headers.cat {
                case NGHTTP2_HCAT_REQUEST: .request
                case NGHTTP2_HCAT_RESPONSE: .response
                default: .trailers
                }
            if headerBlockBytes > maxHeaderListSize {
                events.append(.oversizedHeaders(streamID: header.stream_id, kind: kind))
            } else {
                events.append(.headers(streamID: header.stream_id, kind: kind, fields: headerFields))
            }
            headerFields.removeAll(keepingCapacity: true)
            headerBlockBytes = 0
            if endStream { events.append(.endOfStream(streamID: header.stream_id)) }
        case NGHTTP2_DATA.rawValue:
            if endStream { events.append(.endOfStream(streamID: header.stream_id)) }
        case NGHTTP2_SETTINGS.rawValue:
            guard header.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) == 0 else { return }
            let limit = nghttp2_session_get_remote_settings(session, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS)
            events.append(.remoteSettings(maxConcurrentStreams: limit))
        case NGHTTP2_GOAWAY.rawValue:
            events.append(.goAway(lastStreamID: frame.goaway.last_stream_id, errorCode: frame.goaway.error_code))
        case NGHTTP2_PING.rawValue:
            if header.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) != 0 { events.append(.pingAcknowledged) }
        case NGHTTP2_RST_STREAM.rawValue:
            if abuse?.admitReset() == false { terminate(session: session, for: .rapidReset) }
        default:
            break
        }
    }
}

/// One HTTP/2 header field; names are lower case on the wire.
package struct HTTP2HeaderField: Hashable, Sendable {
    package var name: String
    package var value: String

    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
