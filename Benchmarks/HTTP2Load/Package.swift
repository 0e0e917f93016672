// swift-tools-version:6.1
import PackageDescription

// A load generator for Portico's gRPC client and server (release builds only; see run.sh).
let package = Package(
    name: "HTTP2Load",
    dependencies: [
        .package(name: "Portico", path: "../.."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "HTTP2Load",
            dependencies: [
                .product(name: "PorticoHTTP2", package: "Portico"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        )
    ]
)
