// swift-tools-version:6.1
import PackageDescription

// Portico's benchmarks: a package of its own so the main build never compiles package-benchmark.
// Run from this folder: `swift package benchmark` (see docs/performance.md).
let package = Package(
    name: "PorticoBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Portico", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
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
            name: "WireTiming",
            dependencies: [.product(name: "PorticoCodec", package: "Portico")]
        ),
    ]
)
