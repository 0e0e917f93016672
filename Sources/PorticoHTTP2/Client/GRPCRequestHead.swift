import NIOCore

/// The HEADERS of a gRPC request, as the gRPC over HTTP/2 spec orders them.
enum GRPCRequestHead {
    /// Pseudo-headers first, then the gRPC fields, then custom metadata.
    static func fields(
        path: String,
        scheme: String = "http",
        authority: String,
        userAgent: String,
        timeout: TimeAmount?,
        metadata: GRPCMetadata
    ) -> [HTTP2HeaderField] {
        var fields: [HTTP2HeaderField] = [
            HTTP2HeaderField(name: ":method", value: "POST"),
            HTTP2HeaderField(name: ":scheme", value: scheme),
            HTTP2HeaderField(name: ":path", value: path),
            HTTP2HeaderField(name: ":authority", value: authority),
            HTTP2HeaderField(name: "content-type", value: "application/grpc"),
            HTTP2HeaderField(name: "te", value: "trailers"),
        ]
        if let timeout {
            fields.append(HTTP2HeaderField(name: "grpc-timeout", value: GRPCTimeout.encode(timeout)))
        }
        fields.append(HTTP2HeaderField(name: "grpc-accept-encoding", value: "identity, deflate, gzip"))
        fields.append(HTTP2HeaderField(name: "user-agent", value: userAgent))
        fields.append(contentsOf: metadata.wireFields)
        return fields
    }
}
