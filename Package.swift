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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
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
        .executableTarget(
            name: "countersign",
            dependencies: [
                "CountersignCore",
                "CountersignCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "CryptoBenchmark",
            dependencies: ["CountersignCore", "CountersignCrypto"],
            path: "Benchmarks/CryptoBenchmark",
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
        .testTarget(
            name: "CountersignCoreTests",
            dependencies: [
                "CountersignCore",
                "CountersignCrypto",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
