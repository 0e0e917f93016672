// swift-tools-version:6.1
import PackageDescription

// A stand-alone timing of `RouteTable.match`; run with `swift run -c release` from this folder.
let package = Package(
    name: "RouteMatchBenchmark",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Portico", path: "../..")],
    targets: [
        .executableTarget(
            name: "RouteMatchBenchmark",
            dependencies: [.product(name: "PorticoRouting", package: "Portico")]
        ),
    ]
)
