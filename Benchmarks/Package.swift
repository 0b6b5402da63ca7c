// swift-tools-version:6.0
import PackageDescription

// Benchmarks, a package of their own so CI's build stays lean (docs/decisions.md). The project's runtime modules are
// included through symlinks in Sources/. Run everything with scripts/bench.
let package = Package(
    name: "ClaimMapBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-asn1", exact: "1.7.4"),
    ],
    targets: [
        .target(name: "ClaimMapRuntime"),
        .target(name: "ClaimMapEvaluator", dependencies: ["ClaimMapRuntime"]),
        .target(
            name: "ClaimMapJOSE",
            dependencies: [
                "ClaimMapRuntime", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"), .product(name: "SwiftASN1", package: "swift-asn1"),
            ]),
        .executableTarget(name: "EvaluateBench", dependencies: ["ClaimMapEvaluator", "ClaimMapRuntime"]),
        .executableTarget(name: "ComposeBench", dependencies: [.product(name: "Yams", package: "Yams")]),
        .executableTarget(name: "VerifyBench", dependencies: ["ClaimMapJOSE", "ClaimMapRuntime"]),
    ],
    swiftLanguageModes: [.v6]
)
