// swift-tools-version:6.1
// Benchmarks for Portico, built in release mode apart from the main package (`Benchmarks/run-json.sh`,
// `Benchmarks/run-http2.sh`).
import PackageDescription

let package = Package(
    name: "PorticoBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Portico", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
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
    ]
)
