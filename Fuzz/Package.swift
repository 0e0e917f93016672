// swift-tools-version:6.1
// Portico's fuzz targets: a package of its own, built with libFuzzer and AddressSanitizer apart from the main
// package (`make fuzz`, `make fuzz-smoke`). Built without `-DFUZZING`, each target is a replay tool that runs
// the inputs it is given (files or folders) once: how a crash found by the fuzzer becomes a regression test.
import PackageDescription

let fuzzTargets = ["FuzzJSON", "FuzzWire", "FuzzProtoParser", "FuzzDescriptorSet", "FuzzPathTemplate", "FuzzQuery", "FuzzConfig"]

let package = Package(
    name: "PorticoFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Portico", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        .target(name: "CFuzzerDriver"),
        .target(
            name: "FuzzSupport",
            dependencies: [
                "CFuzzerDriver",
                .product(name: "PorticoCodec", package: "Portico"),
                .product(name: "PorticoSchema", package: "Portico"),
            ]
        ),
    ] + fuzzTargets.map { name in
        .executableTarget(
            name: name,
            dependencies: [
                "FuzzSupport",
                .product(name: "PorticoCodec", package: "Portico"),
                .product(name: "PorticoSchema", package: "Portico"),
                .product(name: "PorticoRouting", package: "Portico"),
                .product(name: "PorticoCore", package: "Portico"),
                .product(name: "PorticoConfig", package: "Portico"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        )
    } + [
        .executableTarget(
            name: "FuzzHTTP1",
            dependencies: ["FuzzSupport", .product(name: "PorticoServer", package: "Portico")]
        ),
        .executableTarget(
            name: "FuzzHTTP2",
            dependencies: ["FuzzSupport", .product(name: "PorticoServer", package: "Portico")]
        ),
        .executableTarget(
            name: "FuzzCompile",
            dependencies: ["FuzzSupport", .product(name: "PorticoServer", package: "Portico")]
        ),
        .executableTarget(
            name: "FuzzJWT",
            dependencies: [
                "FuzzSupport",
                .product(name: "PorticoConfig", package: "Portico"),
                .product(name: "PorticoPolicies", package: "Portico"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
    ]
)
