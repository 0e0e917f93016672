/// The `google/api` files that define the `google.api.http` method option, from the public `HttpRule`
/// specification (googleapis, `google/api/http.proto`).
enum GoogleAPIProtos {
    static let http = """
        syntax = "proto3";

        package google.api;

        option cc_enable_arenas = true;
        option go_package = "google.golang.org/genproto/googleapis/api/annotations;annotations";
        option java_multiple_files = true;
        option java_outer_classname = "HttpProto";
        option java_package = "com.google.api";
        option objc_class_prefix = "GAPI";

        message Http {
          repeated HttpRule rules = 1;
          bool fully_decode_reserved_expansion = 2;
        }

        message HttpRule {
          string selector = 1;
          oneof pattern {
            string get = 2;
            string put = 3;
            string post = 4;
            string delete = 5;
            string patch = 6;
            CustomHttpPattern custom = 8;
          }
          string body = 7;
          string response_body = 12;
          repeated HttpRule additional_bindings = 11;
        }

        message CustomHttpPattern {
          string kind = 1;
          string path = 2;
        }

        """

    static let annotations = """
        syntax = "proto3";

        package google.api;

        import "google/api/http.proto";
        import "google/protobuf/descriptor.proto";

        option go_package = "google.golang.org/genproto/googleapis/api/annotations;annotations";
        option java_multiple_files = true;
        option java_outer_classname = "AnnotationsProto";
        option java_package = "com.google.api";
        option objc_class_prefix = "GAPI";

        extend google.protobuf.MethodOptions {
          HttpRule http = 72295728;
        }

        """

    static let httpBody = """
        syntax = "proto3";

        package google.api;

        import "google/protobuf/any.proto";

        option cc_enable_arenas = true;
        option go_package = "google.golang.org/genproto/googleapis/api/httpbody;httpbody";
        option java_multiple_files = true;
        option java_outer_classname = "HttpBodyProto";
        option java_package = "com.google.api";
        option objc_class_prefix = "GAPI";

        message HttpBody {
          string content_type = 1;
          bytes data = 2;
          repeated google.protobuf.Any extensions = 3;
        }

        """
}
