// swift-tools-version:6.1
// Portico's benchmarks: a package of its own, built in release mode apart from the main package, so the main
// build never compiles package-benchmark. See docs/performance.md for every command
// (`Benchmarks/run-json.sh`, `Benchmarks/run-http2.sh`, `swift package benchmark`, `compare-envoy.py`).
import PackageDescription

let package = Package(
    name: "PorticoBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Portico", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/ordo-one/package-benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "JSONTranscodingBenchmark",
            dependencies: [
                .product(name: "PorticoCodec", package: "Portico"),
                .product(name: "PorticoSchema", package: "Portico"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "HTTP2Load",
            dependencies: [
                .product(name: "PorticoHTTP2", package: "Portico"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "HTTP1Floor",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "WireBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "PorticoCodec", package: "Portico"),
            ],
            path: "Benchmarks/WireBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "SchemaLoadTiming",
            dependencies: [
                .product(name: "PorticoSchema", package: "Portico"),
                .product(name: "PorticoCodec", package: "Portico"),
            ]
        ),
        .executableTarget(
            name: "RateLimitMemory",
            dependencies: [
                .product(name: "PorticoPolicies", package: "Portico"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "WireTiming",
            dependencies: [.product(name: "PorticoCodec", package: "Portico")]
        ),
    ]
)
