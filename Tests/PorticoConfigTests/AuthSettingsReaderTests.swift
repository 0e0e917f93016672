import PorticoConfig
import Testing

/// The `auth:` section of gateway.yaml and the API-keys file.
@Suite struct AuthSettingsReaderTests {
    let loader = MappingsLoader(environment: [
        "SECRET": "0123456789abcdef0123456789abcdef", "LONG_SECRET": String(repeating: "s", count: 64), "SHORT": "short",
    ])

    @Test func readsTheFullSection() throws {
        let gateway = """
            auth:
              jwt:
                issuer: [https://auth.demo.portico.dev, https://other.test]
                audiences: portico-demo
                leeway: 0s
                hs_secret: ${LONG_SECRET}
                jwks_file: keys/jwks.json
                jwks_url: https://idp.example/.well-known/jwks.json
                jwks_refresh: 5m
                jwks_min_refetch: 10s
                jwks_timeout: 2s
                algorithms: [HS512, ES256, EdDSA]
                token: { header: X-Token, cookie: session, query: access_token }
                forward_authorization: true
              api_keys:
                file: keys/api-keys.yaml
                query: api_key
              forward:
                sub: x-user-id
                scope: x-user-scopes
            """
        let auth = try loader.load(sources: [("gateway.yaml", gateway)]).settings.auth
        let jwt = try #require(auth.jwt)
        #expect(jwt.issuers == ["https://auth.demo.portico.dev", "https://other.test"])
        #expect(jwt.audiences == ["portico-demo"])
        #expect(jwt.leeway == .zero)
        #expect(jwt.secret?.value == .inline(Array(String(repeating: "s", count: 64).utf8)))
        #expect(jwt.jwksFile?.value == "keys/jwks.json")
        #expect(jwt.jwksURL?.value == "https://idp.example/.well-known/jwks.json")
        #expect(jwt.jwksRefresh == .seconds(300))
        #expect(jwt.jwksMinRefetch == .seconds(10))
        #expect(jwt.jwksTimeout == .seconds(2))
        #expect(jwt.algorithms == [.hs512, .es256, .eddsa])
        #expect(jwt.token == TokenLocations(header: "x-token", cookie: "session", query: "access_token"))
        #expect(jwt.forwardAuthorization)
        #expect(auth.apiKeys?.file.value == "keys/api-keys.yaml")
        #expect(auth.apiKeys?.header == nil)
        #expect(auth.apiKeys?.query == "api_key")
        #expect(auth.forward == [ClaimForwarding(claim: "sub", header: "x-user-id"), ClaimForwarding(claim: "scope", header: "x-user-scopes")])
    }

    @Test func defaults() throws {
        let gateway = "auth:\n  jwt: { issuer: i, hs_secret: \"${SECRET}\" }\n  api_keys: { file: k.yaml }"
        let auth = try loader.load(sources: [("gateway.yaml", gateway)]).settings.auth
        #expect(auth.jwt?.leeway == .seconds(60))
        #expect(auth.jwt?.jwksRefresh == .seconds(600))
        #expect(auth.jwt?.jwksMinRefetch == .seconds(30))
        #expect(auth.jwt?.token == TokenLocations(header: "authorization"))
        #expect(auth.jwt?.forwardAuthorization == false)
        #expect(auth.apiKeys?.header == "x-api-key")
        #expect(try loader.load(sources: []).settings.auth == AuthSettings())
    }

    @Test func theSecretIsNeverPrinted() throws {
        let gateway = "auth:\n  jwt: { issuer: i, hs_secret: \"${SECRET}\" }"
        let settings = try loader.load(sources: [("gateway.yaml", gateway)]).settings
        #expect(!"\(settings)".contains("0123456789abcdef"))
        #expect(!String(reflecting: settings).contains("0123456789abcdef"))
    }

    static let mistakes: [(String, String)] = [
        ("auth:\n  jwt: { issuer: i }", "gateway.yaml:2:8: auth.jwt: jwt needs a key source: hs_secret, hs_secret_file, jwks_file or jwks_url"),
        ("auth:\n  jwt: { hs_secret: \"${SECRET}\" }", "gateway.yaml:2:8: auth.jwt: jwt needs an issuer (the accepted iss values)"),
        ("auth:\n  jwt: { issuer: i, hs_secret: \"${SHORT}\" }", "gateway.yaml:2:32: auth.jwt.hs_secret: the HMAC secret is too short: HS256 needs at least 32 bytes"),
        ("auth:\n  jwt: { issuer: i, hs_secret: \"${SECRET}\", hs_secret_file: s.txt }", "gateway.yaml:2:32: auth.jwt.hs_secret: give hs_secret or hs_secret_file, not both"),
        ("auth:\n  jwt: { issuer: i, hs_secret: \"${SECRET}\", algorithms: [HS384] }", "gateway.yaml:2:58: auth.jwt.algorithms[0]: the HMAC secret is too short: HS384 needs at least 48 bytes"),
        ("auth:\n  jwt: { issuer: i, hs_secret: \"${SECRET}\", algorithms: [HS257] }", "gateway.yaml:2:58: auth.jwt.algorithms[0]: unknown algorithm \"HS257\" (expected one of: HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, EdDSA)"),
        ("auth:\n  jwt: { issuer: i, hs_secret: \"${SECRET}\", algorithms: [none] }", "gateway.yaml:2:58: auth.jwt.algorithms[0]: unknown algorithm \"none\" (expected one of: HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, EdDSA)"),
        ("auth:\n  jwt: { issuer: i, hs_secret: \"${SECRET}\", algorithms: [RS256] }", "gateway.yaml:2:58: auth.jwt.algorithms[0]: RS256 needs jwks_file or jwks_url"),
        ("auth:\n  jwt: { issuer: i, jwks_file: k.json, algorithms: [HS256] }", "gateway.yaml:2:53: auth.jwt.algorithms[0]: HS256 needs hs_secret or hs_secret_file"),
        ("auth:\n  jwt: { issuer: i, jwks_url: ftp://x/jwks }", "gateway.yaml:2:31: auth.jwt.jwks_url: jwks_url must be an http:// or https:// URL"),
        ("auth:\n  jwt: { issuer: i, jwks_file: k.json, leeway: 2h }", "gateway.yaml:2:48: auth.jwt.leeway: expected a duration of at most 1h such as 0s, 30s or 2m, got \"2h\""),
        ("auth:\n  jwt: { issuer: i, jwks_file: k.json, token: { header: \"a b\" } }", "gateway.yaml:2:57: auth.jwt.token.header: \"a b\" is not a valid header name"),
        ("auth:\n  jwt: { issuer: i, jwks_file: k.json, secret: x }", "gateway.yaml:2:40: auth.jwt.secret: unknown key \"secret\" (expected one of: algorithms, audiences, forward_authorization, hs_secret, hs_secret_file, issuer, jwks_file, jwks_min_refetch, jwks_refresh, jwks_timeout, jwks_url, leeway, token)"),
        ("auth:\n  api_keys: { header: x-key }", "gateway.yaml:2:13: auth.api_keys: api_keys needs a file"),
        ("auth:\n  forward: { sub: x-user-id }", "gateway.yaml:2:3: auth: forward needs jwt, api_keys or tls.client_ca"),
        ("auth:\n  api_keys: { file: k.yaml }\n  forward: { sub: X-User-Id }", "gateway.yaml:3:19: auth.forward.sub: \"X-User-Id\" must be lower case: it is sent as gRPC metadata"),
        ("auth:\n  api_keys: { file: k.yaml }\n  forward: { sub: grpc-user }", "gateway.yaml:3:19: auth.forward.sub: \"grpc-user\" belongs to the HTTP/2 or gRPC framing and is never forwarded"),
        ("auth:\n  api_keys: { file: k.yaml }\n  forward: { sub: authorization }", "gateway.yaml:3:19: auth.forward.sub: \"authorization\" is reserved: the client's credentials are forwarded only by forward_authorization"),
        ("auth:\n  api_keys: { file: k.yaml }\n  forward: { sub: x-user-bin }", "gateway.yaml:3:19: auth.forward.sub: \"x-user-bin\" is binary metadata (-bin) and cannot carry a claim"),
        ("auth:\n  api_keys: { file: k.yaml }\n  forward: { sub: x-id, client_id: x-id }", "gateway.yaml:3:36: auth.forward.client_id: \"x-id\" already carries another claim"),
        ("auth:\n  oauth: {}", "gateway.yaml:2:3: auth.oauth: unknown key \"oauth\" (expected one of: api_keys, forward, jwt)"),
    ]

    @Test(arguments: mistakes)
    func reportsEachMistakeWithItsPosition(text: String, expected: String) {
        do {
            _ = try loader.load(sources: [("gateway.yaml", text)])
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.map(\.description) == [expected])
            #expect(!error.description.contains("0123456789abcdef"))
        }
    }
}

/// The API-keys file.
@Suite struct APIKeyFileReaderTests {
    static let hashA = String(repeating: "ab", count: 32)
    static let hashB = String(repeating: "CD", count: 32)

    @Test func readsEntries() throws {
        let text = """
            - id: partner-a
              sha256: \(Self.hashA)
              plan: gold
              scopes: [orders:read]
              roles: partner
            - { id: partner-b, sha256: \(Self.hashB) }
            """
        let entries = try APIKeyFileReader.read(text, file: "keys/api-keys.yaml")
        #expect(entries == [
            APIKeyEntry(id: "partner-a", sha256: Array(repeating: 0xAB, count: 32), plan: "gold", scopes: ["orders:read"], roles: ["partner"]),
            APIKeyEntry(id: "partner-b", sha256: Array(repeating: 0xCD, count: 32)),
        ])
        #expect(try APIKeyFileReader.read("", file: "k.yaml").isEmpty)
    }

    static let mistakes: [(String, [String])] = [
        ("- { id: a, sha256: \(hashA) }\n- { id: a, sha256: \(hashB) }", ["k.yaml:2:3: [1]: duplicate id \"a\""]),
        ("- { id: a, sha256: \(hashA) }\n- { id: b, sha256: \(hashA.uppercased()) }", ["k.yaml:2:3: [1]: this sha256 is already the key of another client"]),
        ("- { id: a, sha256: abc }", ["k.yaml:1:20: [0].sha256: expected 64 hexadecimal digits (the SHA-256 of the key)"]),
        ("- { id: a }", ["k.yaml:1:3: [0]: an API key needs an id and a sha256"]),
        ("- { id: a, sha256: \(hashA), key: secret }", ["k.yaml:1:86: [0].key: unknown key \"key\" (expected one of: id, plan, roles, scopes, sha256)"]),
        ("keys: []", ["k.yaml:1:1: expected a list, got a mapping"]),
    ]

    @Test(arguments: mistakes)
    func reportsEachMistake(text: String, expected: [String]) {
        do {
            _ = try APIKeyFileReader.read(text, file: "k.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.map(\.description) == expected)
        }
    }
}
