/// The standard gRPC health checking protocol (`grpc/health/v1/health.proto`), written from the public gRPC
/// specification (doc/health-checking.md). The gateway probes backends with it and the demo backends serve it;
/// it is kept out of ``BuiltInProtos/files`` so a backend schema that ships its own copy does not clash.
public enum GRPCHealthProto {
    /// The file's import path.
    public static let path = "grpc/health/v1/health.proto"

    /// The method the gateway calls, as a gRPC path.
    public static let checkPath = "/grpc.health.v1.Health/Check"

    /// The file's text.
    public static let text = """
        syntax = "proto3";

        package grpc.health.v1;

        message HealthCheckRequest {
          string service = 1;
        }

        message HealthCheckResponse {
          enum ServingStatus {
            UNKNOWN = 0;
            SERVING = 1;
            NOT_SERVING = 2;
            SERVICE_UNKNOWN = 3;
          }
          ServingStatus status = 1;
        }

        service Health {
          rpc Check(HealthCheckRequest) returns (HealthCheckResponse);
          rpc Watch(HealthCheckRequest) returns (stream HealthCheckResponse);
        }

        """
}
