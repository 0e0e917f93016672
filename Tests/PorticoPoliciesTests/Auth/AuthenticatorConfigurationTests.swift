import PorticoConfig
import PorticoPolicies
import Testing

/// Problems found when the key files are read, reported at the key that names each file.
@Suite struct AuthenticatorConfigurationTests {
    static let secretLocation = AuthWorld.location("auth.jwt.hs_secret_file")

    static func errors(jwt: JWTSettings?, apiKeys: APIKeySettings? = nil, files: [String: String]) -> [String] {
        do {
            _ = try AuthWorld.authenticator(jwt: jwt, apiKeys: apiKeys, files: files)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    static func jwt(secretFile: String? = nil, jwksFile: String? = nil, algorithms: [JWTAlgorithmName] = []) -> JWTSettings {
        JWTSettings(
            issuers: [AuthWorld.issuer],
            secret: secretFile.map { Located(.file($0), at: secretLocation) },
            jwksFile: jwksFile.map { Located($0, at: AuthWorld.location("auth.jwt.jwks_file")) },
            algorithms: algorithms
        )
    }

    @Test func unreadableFiles() {
        #expect(Self.errors(jwt: Self.jwt(jwksFile: "keys/jwks.json"), files: [:]) == [
            "gateway.yaml:1:1: auth.jwt.jwks_file: cannot read the JWKS file keys/jwks.json",
        ])
        #expect(Self.errors(jwt: Self.jwt(secretFile: "keys/secret"), files: [:]) == [
            "gateway.yaml:1:1: auth.jwt.hs_secret_file: cannot read the secret file keys/secret",
        ])
        let apiKeys = APIKeySettings(file: Located("keys/api-keys.yaml", at: AuthWorld.location("auth.api_keys.file")))
        #expect(Self.errors(jwt: nil, apiKeys: apiKeys, files: [:]) == [
            "gateway.yaml:1:1: auth.api_keys.file: cannot read the API-keys file keys/api-keys.yaml as UTF-8",
        ])
    }

    @Test func badJWKS() {
        #expect(Self.errors(jwt: Self.jwt(jwksFile: "j.json"), files: ["j.json": "[1, 2]"]) == [
            "gateway.yaml:1:1: auth.jwt.jwks_file: j.json: not a JWKS document (a JSON object with a \"keys\" list)",
        ])
        let onlyUnusable = TestKeys.jwks([["kty": "oct", "k": "c2VjcmV0"], ["kty": "EC", "crv": "P-521", "x": "AA", "y": "AA"]])
        #expect(Self.errors(jwt: Self.jwt(jwksFile: "j.json"), files: ["j.json": onlyUnusable]) == [
            "gateway.yaml:1:1: auth.jwt.jwks_file: j.json: the JWKS holds no usable signing key (RSA, EC P-256/P-384 or Ed25519)",
        ])
    }

    @Test func unusableKeysAreSkipped() throws {
        let mixed = TestKeys.jwks([["kty": "oct", "k": "c2VjcmV0"], TestKeys.p256JWK(kid: "ec-1")])
        _ = try AuthWorld.authenticator(jwt: Self.jwt(jwksFile: "j.json"), apiKeys: nil, files: ["j.json": mixed])
    }

    @Test func secretFileLength() {
        let short = String(repeating: "x", count: 31) + "\n"
        #expect(Self.errors(jwt: Self.jwt(secretFile: "s"), files: ["s": short]) == [
            "gateway.yaml:1:1: auth.jwt.hs_secret_file: the HMAC secret in s is too short: HS256 needs at least 32 bytes",
        ])
        let medium = String(repeating: "x", count: 40)
        #expect(Self.errors(jwt: Self.jwt(secretFile: "s", algorithms: [.hs512]), files: ["s": medium]) == [
            "gateway.yaml:1:1: auth.jwt.hs_secret_file: the HMAC secret is too short: HS512 needs at least 64 bytes",
        ])
        #expect(Self.errors(jwt: Self.jwt(secretFile: "s"), files: ["s": medium]).isEmpty)
    }

    @Test func checkingReadsTheSameFilesWithoutStartingAnything() {
        var jwt = Self.jwt(jwksFile: "keys/jwks.json")
        jwt.jwksURL = Located("https://user@idp/x", at: AuthWorld.location("auth.jwt.jwks_url"))
        #expect(throws: ConfigError.self) {
            try Authenticator.checkKeyFiles(settings: AuthSettings(jwt: jwt), files: AuthKeyFiles(contents: [:]))
        }
        do {
            try Authenticator.checkKeyFiles(settings: AuthSettings(jwt: jwt), files: AuthKeyFiles(contents: [:]))
        } catch {
            #expect(error.diagnostics.map(\.message) == [
                "cannot read the JWKS file keys/jwks.json", "jwks_url is not a valid http:// or https:// URL",
            ])
        }
    }

    @Test func badKeysFileIsReportedInItsOwnFile() {
        let apiKeys = APIKeySettings(file: Located("keys/api-keys.yaml", at: AuthWorld.location("auth.api_keys.file")))
        #expect(Self.errors(jwt: nil, apiKeys: apiKeys, files: ["keys/api-keys.yaml": "- { id: a, sha256: nope }"]) == [
            "keys/api-keys.yaml:1:20: [0].sha256: expected 64 hexadecimal digits (the SHA-256 of the key)",
        ])
    }

    @Test func secretLengthDecidesTheHMACAlgorithms() async throws {
        let secret = Array(String(repeating: "k", count: 40).utf8)
        let settings = JWTSettings(issuers: [AuthWorld.issuer], secret: Located(.inline(secret), at: Self.secretLocation))
        let authenticator = try AuthWorld.authenticator(jwt: settings, apiKeys: nil)
        let hs256 = TestToken.make(.hmac(alg: "HS256", secret: secret), claims: AuthWorld.claims())
        #expect(await AuthWorld.outcome(authenticator, headers: AuthWorld.bearer(hs256)).value != nil)
        let hs512 = TestToken.make(.hmac(alg: "HS512", secret: secret), claims: AuthWorld.claims())
        #expect(await AuthWorld.outcome(authenticator, headers: AuthWorld.bearer(hs512)).failure?.message == "invalid token: the algorithm is not accepted")
    }
}
