// swift-tools-version: 6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Countersign",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "countersign", targets: ["countersign"]),
        .library(name: "CountersignCrypto", targets: ["CountersignCrypto"]),
        .library(name: "CountersignCore", targets: ["CountersignCore"]),
        .library(name: "CountersignStorage", targets: ["CountersignStorage"]),
        .library(name: "CountersignServer", targets: ["CountersignServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", exact: "2.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", exact: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", exact: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", exact: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", exact: "1.35.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-configuration.git", exact: "1.4.0"),
        .package(url: "https://github.com/apple/swift-system.git", exact: "1.8.1"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CIDN2",
            pkgConfig: "libidn2",
            providers: [.apt(["libidn2-dev"])]
        ),
        .target(
            name: "CountersignCrypto",
            dependencies: ["COpenSSL"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CountersignCore",
            dependencies: ["CountersignCrypto", "CIDN2"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CountersignStorage",
            dependencies: [
                "CountersignCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CProcess"
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "CountersignServer",
            dependencies: [
                "CCurl",
                "CProcess",
                "CountersignCore",
                "CountersignCrypto",
                "CountersignStorage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            resources: [.copy("Templates")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "countersign",
            dependencies: [
                "CountersignCore",
                "CountersignCrypto",
                "CountersignStorage",
                "CountersignServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "HelloBenchmark",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "Benchmarks/HelloBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "CryptoBenchmark",
            dependencies: ["CountersignCore", "CountersignCrypto"],
            path: "Benchmarks/CryptoBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "StoreBenchmark",
            dependencies: [
                "CountersignCore",
                "CountersignStorage",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/StoreBenchmark",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CountersignCryptoTests",
            dependencies: [
                "COpenSSL",
                "CountersignCrypto",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "StoreCrashWorker",
            dependencies: ["CountersignCore", "CountersignCrypto", "CountersignStorage"],
            path: "Tests/StoreCrashWorker",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CountersignStorageTests",
            dependencies: [
                "StoreCrashWorker",
                "CountersignCore",
                "CountersignTestSupport",
                "CountersignCrypto",
                "CountersignStorage",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CountersignServerTests",
            dependencies: [
                "CountersignCore",
                "CountersignTestSupport",
                "CountersignCrypto",
                "CountersignServer",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CountersignTestSupport",
            dependencies: ["CountersignCore"],
            path: "Tests/CountersignTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CountersignCoreTests",
            dependencies: [
                "CountersignCore",
                "CountersignTestSupport",
                "CountersignCrypto",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
