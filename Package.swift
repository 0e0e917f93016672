// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Portico",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "PorticoCore", targets: ["PorticoCore"]),
        .library(name: "PorticoSchema", targets: ["PorticoSchema"]),
        .library(name: "PorticoCodec", targets: ["PorticoCodec"]),
        .library(name: "PorticoHTTP2", targets: ["PorticoHTTP2"]),
        .library(name: "PorticoConfig", targets: ["PorticoConfig"]),
        .library(name: "PorticoRouting", targets: ["PorticoRouting"]),
        .library(name: "PorticoPolicies", targets: ["PorticoPolicies"]),
        .library(name: "PorticoRedis", targets: ["PorticoRedis"]),
        .library(name: "PorticoServer", targets: ["PorticoServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPGRPC"]),
    ],
    targets: [
        .systemLibrary(
            name: "CNGHTTP2",
            pkgConfig: "libnghttp2",
            providers: [.apt(["libnghttp2-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CProtobufC",
            pkgConfig: "libprotobuf-c",
            providers: [.apt(["libprotobuf-c-dev"])]
        ),
        .target(
            name: "PorticoCore",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PorticoSchema",
            dependencies: ["PorticoCore"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PorticoCodec",
            dependencies: [
                "PorticoCore",
                "PorticoSchema",
                "CProtobufC",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PorticoRouting",
            dependencies: ["PorticoCore", "PorticoSchema"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PorticoConfig",
            dependencies: ["PorticoCore", "PorticoSchema", "PorticoRedis", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PorticoHTTP2",
            dependencies: [
                "PorticoCore",
                "CNGHTTP2",
                "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PorticoServer",
            dependencies: [
                "PorticoCore",
                "PorticoConfig",
                "PorticoSchema",
                "PorticoCodec",
                "PorticoRouting",
                "PorticoHTTP2",
                "PorticoPolicies",
                "PorticoRedis",
                "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PorticoRedis",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PorticoPolicies",
            dependencies: [
                "PorticoCore",
                "PorticoConfig",
                "PorticoRedis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PorticoDemo",
            dependencies: [
                "PorticoCore",
                "PorticoSchema",
                "PorticoCodec",
                "PorticoHTTP2",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "portico",
            dependencies: [
                "PorticoServer",
                "PorticoConfig",
                "PorticoDemo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "OTel", package: "swift-otel"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PorticoTesting",
            dependencies: [
                "PorticoCore",
                "PorticoSchema",
                "PorticoCodec",
                "PorticoHTTP2",
                "PorticoServer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PorticoCoreTests",
            dependencies: ["PorticoCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PorticoConfigTests",
            dependencies: ["PorticoConfig", "PorticoSchema", "PorticoRedis", "PorticoTesting"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PorticoServerTests",
            dependencies: [
                "PorticoServer",
                "PorticoCore",
                "PorticoConfig",
                "PorticoSchema",
                "PorticoCodec",
                "PorticoHTTP2",
                "PorticoDemo",
                "PorticoRedis",
                "PorticoTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "OTel", package: "swift-otel"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PorticoSchemaTests",
            dependencies: ["PorticoSchema", "PorticoTesting"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PorticoRoutingTests",
            dependencies: ["PorticoRouting", "PorticoSchema", "PorticoTesting"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PorticoPoliciesTests",
            dependencies: [
                "PorticoPolicies",
                "PorticoCore",
                "PorticoConfig",
                "PorticoTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PorticoRedisTests",
            dependencies: [
                "PorticoRedis",
                "PorticoTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PorticoDemoTests",
            dependencies: ["PorticoDemo", "PorticoCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PorticoCodecTests",
            dependencies: ["PorticoCodec", "PorticoSchema", "PorticoTesting"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PorticoHTTP2Tests",
            dependencies: [
                "PorticoHTTP2",
                "PorticoCore",
                "PorticoTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
