import PorticoRouting
import NIOCore
import PorticoCodec
import PorticoCore
import PorticoHTTP2

/// A server-streaming call collected whole and answered as one JSON array, as Envoy's transcoder
/// writes streams.
enum UpstreamStream {
    /// The messages of a finished stream, with its metadata.
    struct Collected: Sendable {
        var messages: [ByteBuffer]
        var headers: GRPCMetadata
        var trailers: GRPCMetadata

        /// `[message, message, …]`, each in the version's JSON names.
        func jsonArray(transcoder: JSONTranscoder, route: GatewayRoute, version: APIVersion?) throws(GatewayError) -> ByteBuffer {
            var body = ByteBuffer(integer: UInt8(ascii: "["))
            for (index, message) in messages.enumerated() {
                if index > 0 { body.writeInteger(UInt8(ascii: ",")) }
                var json = try route.responseJSON(message, version: version, transcoder: transcoder)
                body.writeBuffer(&json)
            }
            body.writeInteger(UInt8(ascii: "]"))
            return body
        }

        /// The `google.api.HttpBody` chunks' data in order, with the first chunk's content type.
        func rawBody(_ httpBody: HttpBodyTranscoding, route: GatewayRoute) throws(GatewayError) -> (contentType: String?, data: ByteBuffer) {
            var contentType: String?
            var data = ByteBuffer()
            for message in messages {
                var chunk = try httpBody.decode(message, message: route.target.outputType, responseField: route.target.responseBody)
                contentType = contentType ?? chunk.contentType
                data.writeBuffer(&chunk.data)
            }
            return (contentType, data)
        }
    }

    static func collect(
        cluster: BackendCluster,
        pick: UpstreamPick,
        route: GatewayRoute,
        message: ByteBuffer,
        options: GRPCCallOptions,
        cancellation: RequestCancellation,
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<Collected> {
        let messages = NIOLoopBoundBox([ByteBuffer](), eventLoop: eventLoop)
        let call = cluster.serverStreaming(route.target.grpcPath, request: message, options: options, on: eventLoop, pick: pick) { message in
            messages.value.append(message)
            return nil
        }
        cancellation.onCancel(call)
        return call.response.map { summary in
            Collected(messages: messages.value, headers: summary.headers, trailers: summary.trailers)
        }
    }
}
