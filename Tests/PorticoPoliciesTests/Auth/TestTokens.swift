import Crypto
import CryptoExtras
import Foundation
import JWTKit

/// Keys made once per test process, and tokens signed with them.
enum TestKeys {
    static let hmacSecret = "a-demo-secret-of-sixty-four-bytes-for-hs512-0123456789abcdef0123"
    static let rsa = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let otherRSA = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let p256 = P256.Signing.PrivateKey()
    static let p384 = P384.Signing.PrivateKey()
    static let ed25519 = Curve25519.Signing.PrivateKey()

    /// The RSA key's JWK (public part).
    static func rsaJWK(kid: String, key: _RSA.Signing.PrivateKey = rsa, alg: String? = "RS256") -> [String: String] {
        let primitives = try! Insecure.RSA.PublicKey(backing: key.publicKey).getKeyPrimitives()
        var jwk = ["kty": "RSA", "kid": kid, "n": base64URL(primitives.modulus), "e": base64URL(primitives.publicExponent)]
        jwk["alg"] = alg
        return jwk
    }

    static func p256JWK(kid: String) -> [String: String] {
        let raw = p256.publicKey.rawRepresentation
        return ["kty": "EC", "crv": "P-256", "kid": kid, "x": base64URL(raw.prefix(32)), "y": base64URL(raw.suffix(32))]
    }

    static func p384JWK(kid: String) -> [String: String] {
        let raw = p384.publicKey.rawRepresentation
        return ["kty": "EC", "crv": "P-384", "kid": kid, "x": base64URL(raw.prefix(48)), "y": base64URL(raw.suffix(48))]
    }

    static func ed25519JWK(kid: String) -> [String: String] {
        ["kty": "OKP", "crv": "Ed25519", "kid": kid, "x": base64URL(ed25519.publicKey.rawRepresentation)]
    }

    /// A JWKS document of these JWKs.
    static func jwks(_ keys: [[String: String]]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: ["keys": keys], options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static func base64URL(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// How a test token is signed.
enum TestSigner {
    case hmac(alg: String, secret: [UInt8])
    case rsa(alg: String, key: _RSA.Signing.PrivateKey)
    case es256
    case es384
    case eddsa
    /// No signature at all (`alg: none`).
    case none

    var alg: String {
        switch self {
        case .hmac(let alg, _), .rsa(let alg, _): alg
        case .es256: "ES256"
        case .es384: "ES384"
        case .eddsa: "EdDSA"
        case .none: "none"
        }
    }

    func sign(_ message: Data) -> Data {
        switch self {
        case .hmac(let alg, let secret):
            let key = SymmetricKey(data: secret)
            switch alg {
            case "HS384": return Data(HMAC<SHA384>.authenticationCode(for: message, using: key))
            case "HS512": return Data(HMAC<SHA512>.authenticationCode(for: message, using: key))
            default: return Data(HMAC<SHA256>.authenticationCode(for: message, using: key))
            }
        case .rsa(let alg, let key):
            switch alg {
            case "RS384": return try! key.signature(for: SHA384.hash(data: message), padding: .insecurePKCS1v1_5).rawRepresentation
            case "RS512": return try! key.signature(for: SHA512.hash(data: message), padding: .insecurePKCS1v1_5).rawRepresentation
            case "PS256": return try! key.signature(for: SHA256.hash(data: message), padding: .PSS).rawRepresentation
            default: return try! key.signature(for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5).rawRepresentation
            }
        case .es256:
            return try! TestKeys.p256.signature(for: message).rawRepresentation
        case .es384:
            return try! TestKeys.p384.signature(for: message).rawRepresentation
        case .eddsa:
            return try! TestKeys.ed25519.signature(for: message)
        case .none:
            return Data()
        }
    }
}

/// Builds compact JWS tokens with any header and claims.
struct TestToken {
    var header: [String: Any]
    var claims: [String: Any]

    init(signer: TestSigner, kid: String? = nil, claims: [String: Any]) {
        header = ["alg": signer.alg, "typ": "JWT"]
        if let kid { header["kid"] = kid }
        self.claims = claims
    }

    func signed(with signer: TestSigner) -> String {
        let message = "\(Self.encode(header)).\(Self.encode(claims))"
        return "\(message).\(TestKeys.base64URL(signer.sign(Data(message.utf8))))"
    }

    static func encode(_ object: [String: Any]) -> String {
        TestKeys.base64URL(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// Signs a token with `signer`, its algorithm in the header.
    static func make(_ signer: TestSigner, kid: String? = nil, claims: [String: Any]) -> String {
        TestToken(signer: signer, kid: kid, claims: claims).signed(with: signer)
    }
}
