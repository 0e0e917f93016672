/// The one table that maps gRPC status codes to HTTP status codes.
///
/// It follows `google/rpc/code.proto` and grpc-gateway's `HTTPStatusFromCode` (UNIMPLEMENTED is 501,
/// CANCELLED is 499). Every part of Portico that needs an HTTP status for a gRPC code asks this table.
public enum StatusTable {
    /// The HTTP status for a gRPC code; codes outside the canonical seventeen map to 500.
    public static func httpStatus(for code: GRPCStatusCode) -> Int {
        switch code.rawValue {
        case 0: 200
        case 1: 499
        case 2: 500
        case 3: 400
        case 4: 504
        case 5: 404
        case 6: 409
        case 7: 403
        case 8: 429
        case 9: 400
        case 10: 409
        case 11: 400
        case 12: 501
        case 13: 500
        case 14: 503
        case 15: 500
        case 16: 401
        default: 500
        }
    }
}
