import NIOHTTP1

/// Gives every request an id: the client's `X-Request-Id` when it is a safe token, otherwise a new one.
///
/// The id is sent to the backend as `x-request-id` metadata, returned to the client and written to the
/// access log. A client value longer than 128 characters or with characters outside visible ASCII is
/// replaced, so it can never inject into headers or logs.
package struct RequestIDStage: Sendable {
    /// The header that carries the id, both ways.
    package static let headerName = "x-request-id"

    package init() {}

    /// The id to use for a request with these headers.
    package func requestID(for headers: HTTPHeaders) -> String {
        if let offered = headers.first(name: Self.headerName), Self.isAcceptable(offered) {
            return offered
        }
        return Self.generate()
    }

    private static func isAcceptable(_ value: String) -> Bool {
        !value.isEmpty && value.utf8.count <= 128 && value.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }
    }

    private static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return hex(high) + hex(low)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
