public import NIOCore
import PorticoSchema

/// Encodes `grpc.health.v1.HealthCheckRequest` and decodes `HealthCheckResponse` through protobuf-c, on a
/// descriptor pool of its own built once from ``GRPCHealthProto``.
public struct HealthCheckCodec: Sendable {
    /// `HealthCheckResponse.ServingStatus`.
    public enum ServingStatus: Int32, Sendable {
        case unknown = 0
        case serving = 1
        case notServing = 2
        case serviceUnknown = 3
    }

    private static let requestType = "grpc.health.v1.HealthCheckRequest"
    private static let responseType = "grpc.health.v1.HealthCheckResponse"
    private let codec: MessageCodec

    /// The codec; building its descriptors cannot fail for the fixed health schema, but reports it if it does.
    public init() throws {
        let loader = ProtoLoader(sources: [GRPCHealthProto.path: GRPCHealthProto.text])
        codec = MessageCodec(pool: try DescriptorPool(schema: try loader.load(files: [GRPCHealthProto.path]).pool))
    }

    /// The request for `service` (empty for the server as a whole).
    public func request(service: String) throws -> ByteBuffer {
        var buffer = ByteBuffer()
        let fields: [String: ProtoValue] = service.isEmpty ? [:] : ["service": .string(service)]
        try codec.encode(ProtoMessage(Self.requestType, fields), into: &buffer)
        return buffer
    }

    /// The service a request asks about.
    public func service(in request: ByteBuffer) throws -> String {
        guard case .string(let service)? = try codec.decode(request, as: Self.requestType)["service"] else { return "" }
        return service
    }

    /// The encoded response carrying `status`.
    public func response(_ status: ServingStatus) throws -> ByteBuffer {
        var buffer = ByteBuffer()
        let fields: [String: ProtoValue] = status == .unknown ? [:] : ["status": .enumNumber(status.rawValue)]
        try codec.encode(ProtoMessage(Self.responseType, fields), into: &buffer)
        return buffer
    }

    /// The status a response reports; unknown numbers read as ``ServingStatus/unknown``.
    public func status(in response: ByteBuffer) throws -> ServingStatus {
        guard case .enumNumber(let number)? = try codec.decode(response, as: Self.responseType)["status"] else { return .unknown }
        return ServingStatus(rawValue: number) ?? .unknown
    }
}
