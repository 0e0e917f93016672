import Foundation
import PorticoConfig
import PorticoSchema
import PorticoTesting
import Testing

@Suite struct MappingsLoaderTests {
    let loader = MappingsLoader(environment: ["ORDERS_ADDR": "127.0.0.1:6000", "EMPTY": ""])

    @Test func loadsTheDesignExample() throws {
        let gateway = """
            listen: 127.0.0.1:8080
            admin: 127.0.0.1:8081
            versions: { header: X-API-Version, default: v2, deprecated: { v1: "2027-06-30" } }
            limits: { max_body_bytes: 64KiB, max_json_depth: 32 }
            headers: { request: [Accept-Language], response: x-cache }
            """
        let orders = """
            backend:
              name: orders
              address: ${ORDERS_ADDR:-127.0.0.1:50052}
              timeout: 2s
              services: [demo.orders.v1.OrderService]
            http:
              rules:
                - selector: demo.orders.v1.OrderService.CreateOrder
                  post: /v1/orders
                  body: "*"
                  additional_bindings:
                    - post: /v1/users/{user_id}/orders
                      body: "*"
            versions:
              v1:
                rename:
                  demo.orders.v1.Order: { order_items: items }
            routes:
              - selector: demo.orders.v1.OrderService.*
                timeout: 500ms
                ignore_unknown_query_parameters: true
            """
        let configuration = try loader.load(sources: [("gateway.yaml", gateway), ("orders.yaml", orders)])
        #expect(configuration.settings.listen == HostPort(host: "127.0.0.1", port: 8080))
        #expect(configuration.settings.admin == HostPort(host: "127.0.0.1", port: 8081))
        #expect(configuration.settings.versions.header == "x-api-version")
        #expect(configuration.settings.versions.supported == ["v2", "v1"])
        #expect(configuration.settings.versions.deprecated["v1"]?.sunsetHeader == "Wed, 30 Jun 2027 00:00:00 GMT")
        #expect(configuration.settings.versions.deprecated["v1"]?.deprecationHeader == "@1814313600")
        #expect(configuration.settings.limits.maxBodyBytes == 65536)
        #expect(configuration.settings.limits.maxJSONDepth == 32)
        #expect(configuration.settings.headers == HeaderForwarding(requestHeaders: ["accept-language"], responseMetadata: ["x-cache"]))
        let backend = try #require(configuration.backends.first)
        #expect(backend.name == "orders")
        #expect(backend.address == HostPort(host: "127.0.0.1", port: 6000))
        #expect(backend.timeout == .seconds(2))
        #expect(backend.rules.map(\.value) == [
            HttpRule(
                selector: "demo.orders.v1.OrderService.CreateOrder",
                pattern: .post("/v1/orders"),
                body: "*",
                additionalBindings: [HttpRule(pattern: .post("/v1/users/{user_id}/orders"), body: "*")]
            ),
        ])
        #expect(backend.services.map(\.value) == ["demo.orders.v1.OrderService"])
        #expect(backend.rules.first?.location.line == 8)
        #expect(backend.renames.map { "\($0.version) \($0.message).\($0.field)=\($0.jsonName)" }
            == ["v1 demo.orders.v1.Order.order_items=items"])
        let options = try #require(backend.routeOptions.first)
        #expect(options.applies(to: "demo.orders.v1.OrderService.GetOrder"))
        #expect(!options.applies(to: "demo.orders.v1.OrderServiceX.GetOrder"))
        #expect(options.timeout == .milliseconds(500))
        #expect(options.ignoreUnknownQueryParameters == true)
    }

    @Test func missingGatewayFileMeansDefaults() throws {
        let configuration = try loader.load(sources: [])
        #expect(configuration.settings == GatewaySettings())
    }

    static let mistakes: [(String, String, String)] = [
        ("gateway.yaml", "listen: 127.0.0.1:8080\nlisten_port: 9", "gateway.yaml:2:1: listen_port: unknown key \"listen_port\" (expected one of: access_log, admin, auth, cache, client_ip, cors, defaults, headers, limits, listen, rate_limits, tls, versions)"),
        ("gateway.yaml", "listen: localhost", "gateway.yaml:1:9: listen: expected host:port, got \"localhost\""),
        ("gateway.yaml", "versions: { deprecated: { v1: 2027-13-01 } }", "gateway.yaml:1:31: versions.deprecated.v1: expected a date YYYY-MM-DD, got \"2027-13-01\""),
        ("gateway.yaml", "versions: { deprecated: { v1: { since: 2027-01-01, sunset: 2026-01-01 } } }", "gateway.yaml:1:60: versions.deprecated.v1.sunset: the sunset date is before the deprecation date"),
        ("gateway.yaml", "versions: { deprecated: { v1: { since: 2027-01-01 } } }", "gateway.yaml:1:31: versions.deprecated.v1: a deprecation needs a sunset date"),
        ("gateway.yaml", "limits: { max_body_bytes: lots }", "gateway.yaml:1:27: limits.max_body_bytes: expected a size such as 65536, 64KiB or 4MiB, got \"lots\""),
        ("gateway.yaml", "tls: { listen: 127.0.0.1:8443 }", "gateway.yaml:1:6: tls: tls needs certificates: at least one { cert, key }"),
        ("gateway.yaml", "tls: { listen: 127.0.0.1:8443, certificates: [{ cert: a.pem, key: a.key }], min_version: \"1.1\" }", "gateway.yaml:1:90: tls.min_version: min_version must be \"1.2\" or \"1.3\", got \"1.1\""),
        ("gateway.yaml", "limits: { max_in_flight: 0 }", "gateway.yaml:1:26: limits.max_in_flight: max_in_flight must be at least 1"),
        ("gateway.yaml", "headers: { request: [accept-language, Connection] }", "gateway.yaml:1:39: headers.request[1]: \"connection\" is a hop-by-hop header and is never forwarded"),
        ("gateway.yaml", "headers: { response: [grpc-status] }", "gateway.yaml:1:23: headers.response[0]: \"grpc-status\" belongs to the HTTP/2 or gRPC framing and is never forwarded"),
        ("gateway.yaml", "headers: { request: [\"a b\"] }", "gateway.yaml:1:22: headers.request[0]: \"a b\" is not a valid header name"),
        ("gateway.yaml", "access_log: stderr", "gateway.yaml:1:13: access_log: access_log must be stdout or off, got \"stderr\""),
        ("gateway.yaml", "cors: { allow_origins: [\"localhost:3000\"] }", "gateway.yaml:1:25: cors.allow_origins[0]: expected an origin such as https://app.example.com, https://*.example.com or *, got \"localhost:3000\""),
        ("gateway.yaml", "cors: { allow_origins: [\"*\"], allow_credentials: true }", "gateway.yaml:1:50: cors.allow_credentials: allow_credentials needs named origins: any origin (*) with credentials would let every site act as the user"),
        ("gateway.yaml", "cors: { allow_methods: [GET] }", "gateway.yaml:1:7: cors: cors needs allow_origins"),
        ("gateway.yaml", "listen: [1, 2]", "gateway.yaml:1:9: listen: expected a string, got a list"),
        ("gateway.yaml", "listen: \"127.0.0.1:8080", "gateway.yaml:1:24: invalid YAML: found unexpected end of stream"),
        ("gateway.yaml", "auth: { jwt: { hs_secret: s3cr3t-\u{1}-value } }", "gateway.yaml:1:1: invalid YAML: control characters are not allowed"),
        ("gateway.yaml", "auth:\n  jwt:\n    hs_secret: s3cr3t-value\n     x: y", "gateway.yaml:4:7: invalid YAML: mapping values are not allowed in this context"),
        ("b.yaml", "backend: { name: b, address: \"${NOPE}\" }", "b.yaml:1:30: backend.address: environment variable NOPE is not set and has no default (${NOPE:-default})"),
        ("b.yaml", "backend: { name: b, address: 127.0.0.1:1, timeout: 5 }", "b.yaml:1:52: backend.timeout: expected a duration such as 250ms, 2s or 1m30s, got \"5\""),
        ("b.yaml", "backend: { name: b, address: 127.0.0.1:1, services: [a.S, a.S] }", "b.yaml:1:59: backend.services[1]: service a.S is already served by backend \"b\""),
        ("b.yaml", "backend: { name: b }", "b.yaml:1:10: backend: backend needs an address (host:port) or endpoints (a list of host:port)"),
        ("b.yaml", "http: { rules: [] }", "b.yaml:1:1: a backend file needs a backend: section with name and address"),
        ("b.yaml", "backend: { name: b, address: 127.0.0.1:1 }\nhttp:\n  rules:\n    - get: /x", "b.yaml:4:7: http.rules[0]: a rule needs a selector (the full method name, e.g. pkg.Service.Method)"),
        ("b.yaml", "backend: { name: b, address: 127.0.0.1:1 }\nhttp:\n  rules:\n    - selector: a.S.M\n      get: /x\n      post: /y", "b.yaml:4:7: http.rules[0]: a rule may have only one of get, put, post, delete, patch or custom"),
        ("b.yaml", "backend: { name: b, address: 127.0.0.1:1 }\nhttp:\n  rules:\n    - selector: a.S.M\n      get: /x\n      gett: /x", "b.yaml:6:7: http.rules[0].gett: unknown key \"gett\" (expected one of: additional_bindings, body, custom, delete, get, patch, post, put, response_body, selector)"),
        ("b.yaml", "backend: { name: b, address: 127.0.0.1:1 }\nhttp:\n  rules:\n    - selector: a.S.M\n      get: /x\n      additional_bindings:\n        - selector: a.S.N\n          get: /y", "b.yaml:7:21: http.rules[0].additional_bindings[0].selector: an additional binding takes no selector"),
        ("b.yaml", "backend: { name: b, address: 127.0.0.1:1 }\nversions:\n  v3:\n    rename: { a.M: { f: g } }", "b.yaml:3:3: versions.v3: unknown API version \"v3\" (gateway.yaml declares: v2)"),
        ("b.yaml", "backend: { name: b, address: 127.0.0.1:1 }\nroutes:\n  - selector: a.S.M\n    ignore_unknown_fields: yes", "b.yaml:4:28: routes[0].ignore_unknown_fields: expected true or false, got \"yes\""),
    ]

    @Test(arguments: mistakes)
    func reportsEachMistakeWithItsPosition(file: String, text: String, expected: String) {
        #expect(throws: ConfigError.self) { try loader.load(sources: [(file, text)]) }
        do {
            _ = try loader.load(sources: [(file, text)])
        } catch {
            #expect(error.diagnostics.map(\.description) == [expected])
        }
    }

    @Test func reportsEveryErrorAcrossFilesAtOnce() {
        let first = "backend: { name: orders, address: 127.0.0.1:1 }\nhttp:\n  rules:\n    - selector: a.S.M\n      get: /x"
        let second = "backend: { name: orders, address: 127.0.0.1:2, extra: 1 }\nhttp:\n  rules:\n    - selector: a.S.M\n      get: /y"
        do {
            _ = try loader.load(sources: [("a.yaml", first), ("b.yaml", second)])
            Issue.record("expected errors")
        } catch {
            #expect(error.diagnostics.map(\.description) == [
                "b.yaml: backend.name: backend \"orders\" is already defined in a.yaml",
                "b.yaml:1:48: backend.extra: unknown key \"extra\" (expected one of: address, auth, balancer, circuit_breaker, endpoints, expose_errors, health_check, json, name, outlier_detection, rate_limit, resolve_interval, retries, services, timeout, tls)",
                "b.yaml:4:7: http.rules[0]: selector a.S.M already has a rule at a.yaml:4; use additional_bindings",
            ])
        }
    }
}

@Suite struct BundledMappingsTests {
    @Test func bundledMappingsLoad() throws {
        let configuration = try MappingsLoader(environment: [:]).load(directory: Fixtures.mappingsDirectory.path)
        #expect(configuration.backends.map(\.name) == ["orders", "products", "users"])
        #expect(configuration.settings.versions.supported == ["v2", "v1"])
        #expect(configuration.settings.versions.deprecated["v1"]?.deprecationHeader == "@1767225600")
        #expect(configuration.backends.first?.address == HostPort(host: "127.0.0.1", port: 50052))
    }
}
