/// The protobuf well-known types (`google/protobuf/*.proto`), written from the public protobuf reference:
/// the same packages, messages, fields, numbers and types as the files `protoc` ships.
enum WellKnownProtos {
    static let any = """
        syntax = "proto3";

        package google.protobuf;

        option csharp_namespace = "Google.Protobuf.WellKnownTypes";
        option go_package = "google.golang.org/protobuf/types/known/anypb";
        option java_package = "com.google.protobuf";
        option java_outer_classname = "AnyProto";
        option java_multiple_files = true;
        option objc_class_prefix = "GPB";

        message Any {
          string type_url = 1;
          bytes value = 2;
        }

        """

    static let duration = """
        syntax = "proto3";

        package google.protobuf;

        option cc_enable_arenas = true;
        option go_package = "google.golang.org/protobuf/types/known/durationpb";
        option java_package = "com.google.protobuf";
        option java_outer_classname = "DurationProto";
        option java_multiple_files = true;
        option objc_class_prefix = "GPB";
        option csharp_namespace = "Google.Protobuf.WellKnownTypes";

        message Duration {
          int64 seconds = 1;
          int32 nanos = 2;
        }

        """

    static let timestamp = """
        syntax = "proto3";

        package google.protobuf;

        option cc_enable_arenas = true;
        option go_package = "google.golang.org/protobuf/types/known/timestamppb";
        option java_package = "com.google.protobuf";
        option java_outer_classname = "TimestampProto";
        option java_multiple_files = true;
        option objc_class_prefix = "GPB";
        option csharp_namespace = "Google.Protobuf.WellKnownTypes";

        message Timestamp {
          int64 seconds = 1;
          int32 nanos = 2;
        }

        """

    static let fieldMask = """
        syntax = "proto3";

        package google.protobuf;

        option java_package = "com.google.protobuf";
        option java_outer_classname = "FieldMaskProto";
        option java_multiple_files = true;
        option objc_class_prefix = "GPB";
        option csharp_namespace = "Google.Protobuf.WellKnownTypes";
        option go_package = "google.golang.org/protobuf/types/known/fieldmaskpb";
        option cc_enable_arenas = true;

        message FieldMask {
          repeated string paths = 1;
        }

        """

    static let structs = """
        syntax = "proto3";

        package google.protobuf;

        option cc_enable_arenas = true;
        option go_package = "google.golang.org/protobuf/types/known/structpb";
        option java_package = "com.google.protobuf";
        option java_outer_classname = "StructProto";
        option java_multiple_files = true;
        option objc_class_prefix = "GPB";
        option csharp_namespace = "Google.Protobuf.WellKnownTypes";

        message Struct {
          map<string, Value> fields = 1;
        }

        message Value {
          oneof kind {
            NullValue null_value = 1;
            double number_value = 2;
            string string_value = 3;
            bool bool_value = 4;
            Struct struct_value = 5;
            ListValue list_value = 6;
          }
        }

        enum NullValue {
          NULL_VALUE = 0;
        }

        message ListValue {
          repeated Value values = 1;
        }

        """

    static let wrappers = """
        syntax = "proto3";

        package google.protobuf;

        option cc_enable_arenas = true;
        option go_package = "google.golang.org/protobuf/types/known/wrapperspb";
        option java_package = "com.google.protobuf";
        option java_outer_classname = "WrappersProto";
        option java_multiple_files = true;
        option objc_class_prefix = "GPB";
        option csharp_namespace = "Google.Protobuf.WellKnownTypes";

        message DoubleValue {
          double value = 1;
        }

        message FloatValue {
          float value = 1;
        }

        message Int64Value {
          int64 value = 1;
        }

        message UInt64Value {
          uint64 value = 1;
        }

        message Int32Value {
          int32 value = 1;
        }

        message UInt32Value {
          uint32 value = 1;
        }

        message BoolValue {
          bool value = 1;
        }

        message StringValue {
          string value = 1;
        }

        message BytesValue {
          bytes value = 1;
        }

        """

    static let empty = """
        syntax = "proto3";

        package google.protobuf;

        option go_package = "google.golang.org/protobuf/types/known/emptypb";
        option java_package = "com.google.protobuf";
        option java_outer_classname = "EmptyProto";
        option java_multiple_files = true;
        option objc_class_prefix = "GPB";
        option csharp_namespace = "Google.Protobuf.WellKnownTypes";
        option cc_enable_arenas = true;

        message Empty {}

        """
}
