import JWTKit
import PorticoConfig

/// Verifies one compact JWS synchronously: structure, header, algorithm, signature, then claims.
///
/// What it refuses (RFC 7515, RFC 7519, RFC 8725): a structure other than three base64url parts; `alg`
/// `none` or any algorithm not accepted; a `crit` header (no extension is understood); a key whose type,
/// curve or pinned `alg` does not fit the token's `alg`; a bad signature; a missing or past `exp`; a future
/// `nbf` or `iat` (each with the leeway); an `iss` not configured; an `aud` without a configured audience.
struct JWTVerifier: Sendable {
    /// The outcome of one verification.
    enum Outcome {
        case verified(TokenClaims)
        case failed(AuthFailure)
        /// The token names a `kid` the key set does not hold: the caller may refetch the JWKS and retry.
        case unknownKey
    }

    let issuers: Set<String>
    let audiences: Set<String>
    /// The leeway, in seconds.
    let leeway: Double
    let accepted: Set<JWTAlgorithmName>
    let hmacKey: VerificationKey?

    /// The longest token accepted; larger tokens are refused before any decoding.
    static let maximumTokenBytes = 16 * 1024

    func verify(token: Substring, keys: JWKSKeySet, now: Double) -> Outcome {
        let bytes = Array(token.utf8)
        guard bytes.count <= Self.maximumTokenBytes else { return .failed(.invalidToken("the token is too large")) }
        let dots = bytes.indices.filter { bytes[$0] == UInt8(ascii: ".") }
        guard dots.count == 2, dots[0] > 0, dots[1] > dots[0] + 1, dots[1] < bytes.count - 1,
              let headerJSON = Base64URL.decode(bytes[..<dots[0]]),
              let payloadJSON = Base64URL.decode(bytes[(dots[0] + 1)..<dots[1]]),
              let signature = Base64URL.decode(bytes[(dots[1] + 1)...]) else {
            return .failed(.invalidToken("the token is not a signed JWT"))
        }
        guard let header = try? TokenJSON.object(headerJSON) else {
            return .failed(.invalidToken("the token header is not valid JSON"))
        }
        let algorithm: JWTAlgorithmName
        switch checkHeader(header) {
        case .success(let name): algorithm = name
        case .failure(let failure): return .failed(failure)
        }
        let candidates: [VerificationKey]
        if algorithm.isHMAC {
            candidates = hmacKey.map { [$0] } ?? []
        } else {
            let kid: String? = if case .string(let kid)? = header["kid"] { kid } else { nil }
            if let kid, !keys.contains(kid: kid) { return .unknownKey }
            candidates = keys.candidates(kid: kid, algorithm: algorithm)
        }
        guard !candidates.isEmpty else {
            return .failed(.invalidToken("no key matches the token's kid and algorithm"))
        }
        let message = bytes[..<dots[1]]
        guard candidates.contains(where: { $0.verify(signature: signature, message: message, algorithm: algorithm) }) else {
            return .failed(.invalidToken("the signature is not valid"))
        }
        guard let claims = try? TokenClaims(json: payloadJSON) else {
            return .failed(.invalidToken("the token claims are not valid"))
        }
        if let failure = checkClaims(claims, now: now) { return .failed(failure) }
        return .verified(claims)
    }

    private func checkHeader(_ header: [String: TokenJSON.Value]) -> Result<JWTAlgorithmName, AuthFailure> {
        guard case .string(let name)? = header["alg"] else {
            return .failure(.invalidToken("the token header has no alg"))
        }
        if name.lowercased() == "none" {
            return .failure(.invalidToken("unsigned tokens are not accepted"))
        }
        guard let algorithm = JWTAlgorithmName(rawValue: name), accepted.contains(algorithm) else {
            return .failure(.invalidToken("the algorithm is not accepted"))
        }
        if header["crit"] != nil {
            return .failure(.invalidToken("the token has critical header parameters that are not supported"))
        }
        return .success(algorithm)
    }

    private func checkClaims(_ claims: TokenClaims, now: Double) -> AuthFailure? {
        guard let expiration = claims.expiresAt else {
            return .invalidToken("the token has no expiry")
        }
        if now - leeway >= expiration {
            return .invalidToken("the token has expired")
        }
        if let notBefore = claims.notBefore, now + leeway < notBefore {
            return .invalidToken("the token is not valid yet")
        }
        if let issuedAt = claims.issuedAt, now + leeway < issuedAt {
            return .invalidToken("the token was issued in the future")
        }
        guard let issuer = claims.issuer, issuers.contains(issuer) else {
            return .invalidToken("the token is from another issuer")
        }
        if !audiences.isEmpty {
            guard let audience = claims.audience, audience.contains(where: audiences.contains) else {
                return .invalidToken("the token is meant for another audience")
            }
        }
        return nil
    }
}
