#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import PorticoRouting

// Times `RouteTable.match` on a table of 100 routes shaped like a REST API: 16 resources with list, create,
// get, update and delete; custom verbs; nested collections; and a `**` route. The requests mix hits on
// every kind of route with 404s and 405s.

let resources = [
    "users", "orders", "products", "carts", "payments", "invoices", "shipments", "reviews", "coupons",
    "stores", "warehouses", "suppliers", "categories", "brands", "refunds", "tickets",
]

var entries: [(String, String)] = []
for resource in resources {
    entries.append(("GET", "/v1/\(resource)"))
    entries.append(("POST", "/v1/\(resource)"))
    entries.append(("GET", "/v1/\(resource)/{id}"))
    entries.append(("PATCH", "/v1/\(resource)/{id}"))
    entries.append(("DELETE", "/v1/\(resource)/{id}"))
}
for resource in resources.prefix(8) {
    entries.append(("POST", "/v1/\(resource)/{id}:archive"))
    entries.append(("GET", "/v1/{parent=stores/*}/\(resource)/{id}"))
}
entries.append(("GET", "/v1/files/{path=**}"))
entries.append(("GET", "/v1/{name=projects/*/locations/*/datasets/*}"))
entries.append(("POST", "/v1/{name=projects/*/locations/*/datasets/*}:export"))
entries.append(("GET", "/healthz"))

let table = try RouteTable(entries.enumerated().map { index, entry in
    Route(method: entry.0, template: try PathTemplate(entry.1), value: index)
})

let hits: [(String, String)] = [
    ("GET", "/v1/users"), ("GET", "/v1/users/42"), ("PATCH", "/v1/orders/o-1001"), ("DELETE", "/v1/tickets/9"),
    ("POST", "/v1/carts"), ("GET", "/v1/refunds/r%2F1?expand=items&limit=20"),
    ("POST", "/v1/payments/p-7:archive"), ("GET", "/v1/stores/s1/reviews/rv-3"),
    ("GET", "/v1/files/docs/2026/report%20final.pdf"), ("GET", "/v1/projects/p/locations/eu/datasets/d1"),
    ("POST", "/v1/projects/p/locations/eu/datasets/d1:export"), ("GET", "/healthz"), ("GET", "/v1/brands/b-9"),
]
let misses: [(String, String)] = [
    ("GET", "/v1/unknown/1"), ("PUT", "/v1/users/42"), ("GET", "/v1/products/sku-1/variants"),
]

/// The CPU time this process has used, in nanoseconds: unlike wall time, it is not inflated when other
/// processes share the cores.
func processCPUTime() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) * 1e9 + Double(time.tv_nsec)
}

/// Matches every request `iterations` times and prints the CPU and wall nanoseconds per match.
func measure(_ label: String, _ requests: [(String, String)], iterations: Int) {
    var checksum = 0
    let cpuStart = processCPUTime()
    let elapsed = ContinuousClock().measure {
        for _ in 0..<iterations {
            for (method, target) in requests {
                switch table.match(method: method, path: target) {
                case .matched(let matched): checksum &+= matched.bindings.count &+ matched.routeIndex
                case .methodNotAllowed(let allowed): checksum &+= allowed.count
                case .notFound: checksum &+= 1
                case .invalidPath: checksum &+= 2
                }
            }
        }
    }
    let cpu = processCPUTime() - cpuStart
    let wall = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
    let matches = Double(iterations * requests.count)
    print("\(label): \(Int((cpu / matches).rounded())) ns CPU, \(Int((wall / matches).rounded())) ns wall per match "
        + "(\(requests.count) requests x \(iterations), checksum \(checksum))")
}

/// Rounds per measurement: the first argument, or 200,000.
let iterations = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 200_000
print("route table: \(table.routes.count) routes")
measure("warm-up", hits + misses, iterations: max(1, iterations / 10))
measure("matched requests", hits, iterations: iterations)
measure("404 and 405 requests", misses, iterations: iterations)
measure("mix (13 matched, 3 not)", hits + misses, iterations: iterations)
