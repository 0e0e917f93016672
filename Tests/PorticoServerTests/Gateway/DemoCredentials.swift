/// The demo credentials of `Mappings/keys/` (docs/mappings.md, "Authentication"), as the README uses them.
enum DemoCredentials {
    /// ES256, key `demo-es256`; `sub: demo-user`, `scope: "orders:read orders:write"`, expires 2036-01-01.
    static let token = "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImRlbW8tZXMyNTYifQ.eyJpc3MiOiJodHRwczovL2F1dGguZGVtby5wb3J0aWNvLmRldiIsImF1ZCI6InBvcnRpY28tZGVtbyIsInN1YiI6ImRlbW8tdXNlciIsInNjb3BlIjoib3JkZXJzOnJlYWQgb3JkZXJzOndyaXRlIiwiY2xpZW50X2lkIjoicG9ydGljby1kZW1vLWNsaSIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjoyMDgyNzU4NDAwfQ.9JzQ_qGURBQ9kwgtKZZNGOMR2m1OLINc586TWuwmMo6z3ZbwJm-CMFwsn2S4OiV6T7ufVEN28njw1lO67TrhWA"
    /// Client `demo-partner`, plan `gold`, scopes `orders:read orders:write`, role `partner`.
    static let partnerKey = "portico-demo-key-7c1e9a42"
    /// Client `demo-readonly`, plan `free`, scope `orders:read`.
    static let readOnlyKey = "portico-demo-readonly-5b2d8f10"

    static var bearer: [String: String] { ["Authorization": "Bearer \(token)"] }
}
