/// The schema files Portico carries itself, by import path: the `google/api` HTTP annotation files, the
/// `google/rpc` error model and the protobuf well-known types, written from their public specifications.
///
/// Backend schemas import them (`import "google/api/annotations.proto";`) without shipping them, so the
/// loader resolves these paths here before looking in the include roots.
public enum BuiltInProtos {
    /// Every built-in file, keyed by import path.
    public static let files: [String: String] = [
        "google/api/http.proto": GoogleAPIProtos.http,
        "google/api/annotations.proto": GoogleAPIProtos.annotations,
        "google/api/httpbody.proto": GoogleAPIProtos.httpBody,
        "google/rpc/status.proto": GoogleRPCProtos.status,
        "google/rpc/error_details.proto": GoogleRPCProtos.errorDetails,
        "google/protobuf/any.proto": WellKnownProtos.any,
        "google/protobuf/duration.proto": WellKnownProtos.duration,
        "google/protobuf/timestamp.proto": WellKnownProtos.timestamp,
        "google/protobuf/field_mask.proto": WellKnownProtos.fieldMask,
        "google/protobuf/struct.proto": WellKnownProtos.structs,
        "google/protobuf/wrappers.proto": WellKnownProtos.wrappers,
        "google/protobuf/empty.proto": WellKnownProtos.empty,
        "google/protobuf/descriptor.proto": DescriptorProto.text,
    ]

    /// The error model files every gateway schema includes, so error details can be decoded.
    public static let errorModelFiles = ["google/rpc/status.proto", "google/rpc/error_details.proto"]

    /// The well-known type files, which `protoc` also ships in its own include folder.
    public static let wellKnownTypeFiles: Set<String> = Set(files.keys.filter { $0.hasPrefix("google/protobuf/") })
}
