import Crypto
import CryptoExtras
import Foundation
import PorticoConfig

/// A key that verifies JWS signatures synchronously: the HMAC secret or one public key of a JWKS.
///
/// Each key verifies only the algorithms of its own type and size, so a token cannot pick an algorithm
/// the key was not made for (RFC 8725 §2.1: an HS256 token is never checked against an RSA public key).
enum VerificationKey: Sendable {
    case hmac(SymmetricKey)
    case rsa(_RSA.Signing.PublicKey)
    case p256(P256.Signing.PublicKey)
    case p384(P384.Signing.PublicKey)
    case ed25519(Curve25519.Signing.PublicKey)

    /// Whether this key can verify `algorithm` at all.
    func supports(_ algorithm: JWTAlgorithmName) -> Bool {
        switch (self, algorithm) {
        case (.hmac, .hs256), (.hmac, .hs384), (.hmac, .hs512): true
        case (.rsa, .rs256), (.rsa, .rs384), (.rsa, .rs512), (.rsa, .ps256), (.rsa, .ps384), (.rsa, .ps512): true
        case (.p256, .es256), (.p384, .es384), (.ed25519, .eddsa): true
        default: false
        }
    }

    /// Whether `signature` signs `message` under `algorithm`; `false` for an algorithm the key does not support.
    func verify(signature: [UInt8], message: ArraySlice<UInt8>, algorithm: JWTAlgorithmName) -> Bool {
        switch (self, algorithm) {
        case (.hmac(let key), .hs256):
            HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: message, using: key)
        case (.hmac(let key), .hs384):
            HMAC<SHA384>.isValidAuthenticationCode(signature, authenticating: message, using: key)
        case (.hmac(let key), .hs512):
            HMAC<SHA512>.isValidAuthenticationCode(signature, authenticating: message, using: key)
        case (.rsa(let key), .rs256):
            key.isValidSignature(.init(rawRepresentation: signature), for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5)
        case (.rsa(let key), .rs384):
            key.isValidSignature(.init(rawRepresentation: signature), for: SHA384.hash(data: message), padding: .insecurePKCS1v1_5)
        case (.rsa(let key), .rs512):
            key.isValidSignature(.init(rawRepresentation: signature), for: SHA512.hash(data: message), padding: .insecurePKCS1v1_5)
        case (.rsa(let key), .ps256):
            key.isValidSignature(.init(rawRepresentation: signature), for: SHA256.hash(data: message), padding: .PSS)
        case (.rsa(let key), .ps384):
            key.isValidSignature(.init(rawRepresentation: signature), for: SHA384.hash(data: message), padding: .PSS)
        case (.rsa(let key), .ps512):
            key.isValidSignature(.init(rawRepresentation: signature), for: SHA512.hash(data: message), padding: .PSS)
        case (.p256(let key), .es256):
            (try? P256.Signing.ECDSASignature(rawRepresentation: signature)).map { key.isValidSignature($0, for: message) } ?? false
        case (.p384(let key), .es384):
            (try? P384.Signing.ECDSASignature(rawRepresentation: signature)).map { key.isValidSignature($0, for: message) } ?? false
        case (.ed25519(let key), .eddsa):
            key.isValidSignature(signature, for: message)
        default:
            false
        }
    }
}
