public import NIOHTTP1
public import PorticoCore

/// A request the pipeline answers itself instead of passing it on: the error, the HTTP status when the
/// status table's is not the right one (405, 413, 415), and headers the answer needs (`Allow`).
public struct Rejection: Error, Sendable {
    public var error: GatewayError
    public var status: HTTPResponseStatus
    public var headers: [(String, String)]

    public init(_ error: GatewayError, status: HTTPResponseStatus? = nil, headers: [(String, String)] = []) {
        self.error = error
        self.status = status ?? HTTPResponseStatus(statusCode: error.httpStatus)
        self.headers = headers
    }
}
