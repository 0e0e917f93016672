import Crypto
import CryptoExtras
import Foundation
import JWTKit
import PorticoConfig

/// The public keys of a JWKS (RFC 7517), by `kid`, decoded with jwt-kit's `JWK` and held as
/// swift-crypto keys that verify synchronously.
///
/// A JWKS may hold keys Portico does not use (encryption keys, unknown key types or curves); those are
/// skipped and counted, so one odd key does not take the whole set down.
struct JWKSKeySet: Sendable {
    /// One usable key and the algorithm its JWK pins, if any.
    struct Entry: Sendable {
        var key: VerificationKey
        var algorithm: JWTAlgorithmName?

        func accepts(_ algorithm: JWTAlgorithmName) -> Bool {
            key.supports(algorithm) && (self.algorithm == nil || self.algorithm == algorithm)
        }
    }

    private(set) var byID: [String: [Entry]] = [:]
    private(set) var withoutID: [Entry] = []
    /// How many keys of the document were skipped.
    private(set) var skipped = 0

    /// An empty set.
    init() {}

    /// Parses a JWKS document.
    ///
    /// - Throws: ``JWKSError`` when the document is not a JWKS, or holds no usable key.
    init(json: [UInt8]) throws(JWKSError) {
        let document: LossyJWKS
        do {
            document = try JSONDecoder().decode(LossyJWKS.self, from: Data(json))
        } catch {
            throw JWKSError(message: "not a JWKS document (a JSON object with a \"keys\" list)")
        }
        for jwk in document.keys {
            guard let jwk, let entry = Self.entry(for: jwk) else {
                skipped += 1
                continue
            }
            if let kid = jwk.keyIdentifier?.string {
                byID[kid, default: []].append(entry)
            } else {
                withoutID.append(entry)
            }
        }
        guard !byID.isEmpty || !withoutID.isEmpty else {
            throw JWKSError(message: "the JWKS holds no usable signing key (RSA, EC P-256/P-384 or Ed25519)")
        }
    }

    /// Whether a key with this `kid` is known.
    func contains(kid: String) -> Bool {
        byID[kid] != nil
    }

    /// The keys that may verify a token with `kid` (or no kid) and `algorithm`.
    func candidates(kid: String?, algorithm: JWTAlgorithmName) -> [VerificationKey] {
        let entries = kid.map { byID[$0] ?? [] } ?? (byID.values.flatMap { $0 } + withoutID)
        return entries.filter { $0.accepts(algorithm) }.map(\.key)
    }

    /// Both sets' keys; `other`'s keys come after this set's for a shared `kid`.
    func merged(with other: JWKSKeySet) -> JWKSKeySet {
        var result = self
        for (kid, entries) in other.byID {
            result.byID[kid, default: []].append(contentsOf: entries)
        }
        result.withoutID.append(contentsOf: other.withoutID)
        return result
    }

    private static func entry(for jwk: JWK) -> Entry? {
        let pinned = jwk.algorithm.flatMap { JWTAlgorithmName(rawValue: $0.rawValue) }
        if jwk.algorithm != nil, pinned == nil { return nil }
        guard let key = try? verificationKey(for: jwk) else { return nil }
        let entry = Entry(key: key, algorithm: pinned)
        if let pinned, !key.supports(pinned) { return nil }
        return entry
    }

    private static func verificationKey(for jwk: JWK) throws -> VerificationKey? {
        switch jwk.keyType {
        case .rsa:
            guard let modulus = jwk.modulus, let exponent = jwk.exponent else { return nil }
            let key = try Insecure.RSA.PublicKey(modulus: modulus, exponent: exponent)
            return .rsa(try _RSA.Signing.PublicKey(derRepresentation: key.derRepresentation))
        case .ecdsa:
            guard let x = jwk.x, let y = jwk.y else { return nil }
            switch jwk.curve?.rawValue {
            case "P-256":
                let key = try ES256PublicKey(parameters: (x, y))
                return .p256(try P256.Signing.PublicKey(pemRepresentation: key.pemRepresentation))
            case "P-384":
                let key = try ES384PublicKey(parameters: (x, y))
                return .p384(try P384.Signing.PublicKey(pemRepresentation: key.pemRepresentation))
            default:
                return nil
            }
        case .octetKeyPair:
            guard let x = jwk.x, jwk.curve?.rawValue == "Ed25519" else { return nil }
            let key = try EdDSA.PublicKey(x: x, curve: .ed25519)
            return .ed25519(try Curve25519.Signing.PublicKey(rawRepresentation: key.rawRepresentation))
        default:
            return nil
        }
    }
}

/// A JWKS whose keys decode one by one: a key jwt-kit cannot read becomes `nil` instead of failing the set.
private struct LossyJWKS: Decodable {
    var keys: [JWK?]

    private enum CodingKeys: String, CodingKey {
        case keys
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var list = try container.nestedUnkeyedContainer(forKey: .keys)
        var keys: [JWK?] = []
        while !list.isAtEnd {
            if let key = try? list.decode(JWK.self) {
                keys.append(key)
            } else {
                _ = try list.decode(Skipped.self)
                keys.append(nil)
            }
        }
        self.keys = keys
    }

    /// Consumes one element, whatever it holds.
    private struct Skipped: Decodable {
        init(from decoder: any Decoder) throws {}
    }
}

/// A JWKS that cannot be used; the message names no key material.
struct JWKSError: Error, Sendable {
    var message: String
}
