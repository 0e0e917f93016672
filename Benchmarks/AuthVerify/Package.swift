// swift-tools-version:6.1
import PackageDescription

// A stand-alone timing of `Authenticator.authenticate` per JWS algorithm; run with `swift run -c release`
// from this folder.
let package = Package(
    name: "AuthVerifyBenchmark",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Portico", path: "../.."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        .executableTarget(
            name: "AuthVerifyBenchmark",
            dependencies: [
                .product(name: "PorticoPolicies", package: "Portico"),
                .product(name: "PorticoConfig", package: "Portico"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
    ]
)
