import Crypto
import Foundation
import FuzzSupport
import NIOCore
import NIOEmbedded
import NIOHTTP1
import PorticoConfig
import PorticoPolicies

/// A bearer token as the gateway checks it (`Authenticator`: base64url, the header and claims JSON, the
/// algorithm allow-list, HS256 and ES256 signatures, `iss`, `aud`, `exp`, `nbf`, `iat`, scopes and roles).
///
/// The first byte chooses the mode: 0 sends the rest as the token text itself; 1 and 2 split the rest at the
/// first NUL into a header and a claims JSON and sign them with the harness's own HS256 secret or P-256 key,
/// so the fuzzer reaches the claim checks behind a valid signature. Every token is accepted or refused with
/// an `AuthFailure`; nothing else may happen.
public func fuzzJWT(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let mode = bytes.first else { return 0 }
    let rest = bytes.dropFirst()
    let token: String
    switch mode % 3 {
    case 0:
        token = String(decoding: rest, as: UTF8.self)
    default:
        let split = rest.firstIndex(of: 0) ?? rest.endIndex
        let header = Base64URLText.encode(Array(rest[..<split]))
        let claims = Base64URLText.encode(split < rest.endIndex ? Array(rest[(split + 1)...]) : [])
        let signed = Array("\(header).\(claims)".utf8)
        let signature: [UInt8] = mode % 3 == 1
            ? Array(HMAC<SHA256>.authenticationCode(for: signed, using: JWTWorld.hmacKey))
            : Array((try? JWTWorld.signingKey.signature(for: signed).rawRepresentation) ?? Data())
        token = "\(header).\(claims).\(Base64URLText.encode(signature))"
    }
    let headers: HTTPHeaders = ["authorization": "Bearer \(token)"]
    _ = JWTWorld.authenticator.authenticate(headers: headers, query: nil, requirement: JWTWorld.requirement, on: JWTWorld.loop)
    return 0
}

/// The authenticator every input meets: issuer, audience, an HS256 secret and a JWKS with one P-256 key.
enum JWTWorld {
    static let secret = "portico-fuzz-secret-0123456789abcdef"
    static let hmacKey = SymmetricKey(data: Array(secret.utf8))
    static let signingKey = P256.Signing.PrivateKey()
    static let loop = EmbeddedEventLoop()
    static let requirement = AuthRequirement(mode: .jwt, scopes: ["orders:write"], roles: ["admin", "support"])

    static let authenticator: Authenticator = {
        let gateway = """
            auth:
              jwt:
                issuer: https://issuer.fuzz
                audiences: [portico]
                hs_secret: \(secret)
                jwks_file: jwks.json
              forward: { sub: x-user-id, scope: x-user-scopes }
            """
        let x963 = signingKey.publicKey.x963Representation
        let jwks = """
            {"keys":[{"kty":"EC","crv":"P-256","kid":"fuzz","alg":"ES256","use":"sig",\
            "x":"\(Base64URLText.encode(Array(x963[1..<33])))","y":"\(Base64URLText.encode(Array(x963[33..<65])))"}]}
            """
        do {
            let settings = try MappingsLoader(environment: [:]).load(sources: [("gateway.yaml", gateway)]).settings
            return try Authenticator(
                settings: settings.auth, files: AuthKeyFiles(contents: ["jwks.json": jwks]), eventLoopGroup: loop,
                wallClock: { 1_800_000_000 }
            )
        } catch {
            fatalError("the fuzz harness's own auth settings do not load: \(error)")
        }
    }()
}

/// Unpadded base64url (RFC 4648 §5), as JWTs use it.
enum Base64URLText {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzJWT(data, size)
}

@_cdecl("FuzzJWT_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzJWT)
}
#else
@main enum Replay {
    static func main() { FuzzReplay.run(CommandLine.arguments, fuzzJWT) }
}
#endif
