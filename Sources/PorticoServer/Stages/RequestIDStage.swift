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

    /// 128 random bits as 32 lowercase hex digits, written in place.
    private static func generate() -> String {
        var generator = FastRandomNumberGenerator()
        let high = generator.next()
        let low = generator.next()
        return String(unsafeUninitializedCapacity: 32) { buffer in
            let digits: StaticString = "0123456789abcdef"
            for index in 0..<32 {
                let word = index < 16 ? high : low
                let nibble = Int((word >> UInt64(60 - 4 * (index % 16))) & 0xF)
                buffer[index] = digits.utf8Start[nibble]
            }
            return 32
        }
    }
}
