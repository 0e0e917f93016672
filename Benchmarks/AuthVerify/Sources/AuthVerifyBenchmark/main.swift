import Crypto
import CryptoExtras
import Foundation
import NIOCore
import NIOEmbedded
import NIOHTTP1
import PorticoConfig
import PorticoPolicies

// Times one `authenticate` call per token (parse, header, signature, claims, principal), best of 7 runs.
/// Counts accepted requests; the embedded loop runs every callback on this thread.
final class Counter: @unchecked Sendable {
    var value = 0
}

let iterations = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 2000
let now = Date().timeIntervalSince1970

func base64URL(_ data: some DataProtocol) -> String {
    Data(data).base64EncodedString()
        .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
}

func json(_ object: [String: Any]) -> String {
    base64URL(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
}

func token(alg: String, kid: String?, id: Int = 0, sign: (Data) -> Data) -> String {
    var header: [String: Any] = ["alg": alg, "typ": "JWT"]
    header["kid"] = kid
    let claims: [String: Any] = [
        "iss": "https://issuer.bench", "aud": "bench", "sub": "user-1", "exp": now + 3600, "iat": now - 10,
        "scope": "orders:read orders:write", "client_id": "bench-client", "jti": "t\(id)",
    ]
    let message = "\(json(header)).\(json(claims))"
    return "\(message).\(base64URL(sign(Data(message.utf8))))"
}

let secret = SymmetricKey(data: Array("a-benchmark-secret-of-sixty-four-bytes-for-hs512-0123456789abcde".utf8))
let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
let p256 = P256.Signing.PrivateKey()
let ed25519 = Curve25519.Signing.PrivateKey()

let rsaPrimitives = try rsa.publicKey.getKeyPrimitives()
let p256Raw = p256.publicKey.rawRepresentation
let jwks: [String: Any] = ["keys": [
    ["kty": "RSA", "kid": "rsa", "n": base64URL(rsaPrimitives.modulus), "e": base64URL(rsaPrimitives.publicExponent)],
    ["kty": "EC", "crv": "P-256", "kid": "ec", "x": base64URL(p256Raw.prefix(32)), "y": base64URL(p256Raw.suffix(32))],
    ["kty": "OKP", "crv": "Ed25519", "kid": "ed", "x": base64URL(ed25519.publicKey.rawRepresentation)],
]]
let jwksText = String(decoding: try JSONSerialization.data(withJSONObject: jwks), as: UTF8.self)
let here = SourceLocation(file: "gateway.yaml", line: 1, column: 1, keyPath: "auth")
let apiKeys = "- { id: bench, sha256: \(SHA256.hash(data: Data("bench-key".utf8)).map { String(format: "%02x", $0) }.joined()), scopes: [orders:read] }"
let settings = AuthSettings(
    jwt: JWTSettings(
        issuers: ["https://issuer.bench"], audiences: ["bench"],
        secret: Located(.inline(Array("a-benchmark-secret-of-sixty-four-bytes-for-hs512-0123456789abcde".utf8)), at: here),
        jwksFile: Located("jwks.json", at: here)
    ),
    apiKeys: APIKeySettings(file: Located("keys.yaml", at: here)),
    forward: [ClaimForwarding(claim: "sub", header: "x-user-id")]
)
let loop = EmbeddedEventLoop()
let authenticator = try Authenticator(
    settings: settings,
    files: AuthKeyFiles(contents: ["jwks.json": jwksText, "keys.yaml": apiKeys]),
    eventLoopGroup: loop,
    wallClock: { now }
)

func bearer(_ token: String) -> HTTPHeaders {
    ["authorization": "Bearer \(token)"]
}

let signers: [(String, String?, (Data) -> Data)] = [
    ("HS256", nil, { Data(HMAC<SHA256>.authenticationCode(for: $0, using: secret)) }),
    ("HS512", nil, { Data(HMAC<SHA512>.authenticationCode(for: $0, using: secret)) }),
    ("RS256", "rsa", { try! rsa.signature(for: SHA256.hash(data: $0), padding: .insecurePKCS1v1_5).rawRepresentation }),
    ("ES256", "ec", { try! p256.signature(for: $0).rawRepresentation }),
    ("EdDSA", "ed", { try! ed25519.signature(for: $0) }),
]

/// Runs `body` over `headers` once and returns µs per call, checking every call was accepted.
func timed(_ name: String, _ headers: [HTTPHeaders], mode: AuthMode) -> Double {
    let requirement = AuthRequirement(mode: mode, scopes: ["orders:read"])
    let accepted = Counter()
    let start = DispatchTime.now().uptimeNanoseconds
    for request in headers {
        authenticator.authenticate(headers: request, query: nil, requirement: requirement, on: loop).whenSuccess { principal in
            if principal != nil { accepted.value += 1 }
        }
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(headers.count) / 1000
    precondition(accepted.value == headers.count, "\(name): refused")
    return elapsed
}

// First sight of each token (parse, verify, claims), then the same tokens again (verified-token cache).
print("alg      first (µs)  cached (µs)")
for (name, kid, sign) in signers {
    let requests = (0..<iterations).map { HTTPHeaders([("authorization", "Bearer " + token(alg: name, kid: kid, id: $0, sign: sign))]) }
    let first = timed(name, requests, mode: .jwt)
    let cached = (0..<7).map { _ in timed(name, requests, mode: .jwt) }.min()!
    print("\(name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(String(format: "%10.2f", first)) \(String(format: "%12.2f", cached))")
}
let apiKey = (0..<7).map { _ in timed("API key", Array(repeating: ["x-api-key": "bench-key"], count: iterations), mode: .apiKey) }.min()!
print("API key  \(String(format: "%10.2f", apiKey))")
