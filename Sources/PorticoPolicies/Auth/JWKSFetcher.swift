import AsyncHTTPClient
import NIOHTTP1
import NIOCore

/// Fetches a JWKS document over HTTP or HTTPS with async-http-client's future-based API.
struct JWKSFetcher: Sendable {
    let client: HTTPClient
    let url: String
    /// How long one fetch may take; the client retries a refused connection until then.
    let timeout: TimeAmount

    /// The most bytes a JWKS document may have.
    static let maximumBytes = 1 << 20

    /// The document's bytes; fails on a transport error, a status other than 200 or an oversized body.
    func fetch() -> EventLoopFuture<[UInt8]> {
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: url, method: .GET, headers: ["accept": "application/json"])
        } catch {
            return client.eventLoopGroup.any().makeFailedFuture(error)
        }
        let delegate = ResponseAccumulator(request: request, maxBodySize: Self.maximumBytes)
        return client.execute(request: request, delegate: delegate, deadline: .now() + timeout).futureResult
            .flatMapThrowing { response in
                guard response.status == .ok else { throw JWKSFetchError(status: response.status.code) }
                return response.body.map { Array($0.readableBytesView) } ?? []
            }
    }
}

/// A JWKS URL that answered with another status than 200.
struct JWKSFetchError: Error, CustomStringConvertible {
    var status: UInt

    var description: String { "the JWKS URL answered \(status)" }
}
