/// The schema files Portico carries itself, by import path: the `google/api` HTTP annotation files and the
/// protobuf well-known types, written from their public specifications.
///
/// Backend schemas import them (`import "google/api/annotations.proto";`) without shipping them, so the
/// loader resolves these paths here before looking in the include roots.
public enum BuiltInProtos {
    /// Every built-in file, keyed by import path.
    public static let files: [String: String] = [
        "google/api/http.proto": GoogleAPIProtos.http,
        "google/api/annotations.proto": GoogleAPIProtos.annotations,
        "google/api/httpbody.proto": GoogleAPIProtos.httpBody,
    ]
}
