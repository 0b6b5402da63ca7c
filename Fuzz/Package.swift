// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for the parsers that read untrusted input. A separate package so CI's build stays lean; the
// project's modules are included through symlinks in Sources/ (package-access APIs stay reachable).
// Build and run one with `scripts/fuzz TARGET SECONDS`.
let fuzzFlags: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "ClaimMapFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-asn1", exact: "1.7.4"),
    ],
    targets: [
        .target(name: "ClaimMapRuntime"),
        .target(name: "ClaimMapDiagnostics", dependencies: ["ClaimMapRuntime"]),
        .target(name: "ClaimMapEvaluator", dependencies: ["ClaimMapRuntime"]),
        .target(name: "ClaimMapSyntax", dependencies: ["ClaimMapRuntime", "ClaimMapDiagnostics", .product(name: "Yams", package: "Yams")]),
        .target(
            name: "ClaimMapJOSE",
            dependencies: [
                "ClaimMapRuntime", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"), .product(name: "SwiftASN1", package: "swift-asn1"),
            ]),
        .target(
            name: "ClaimMapFuzzEntryPoints",
            dependencies: ["ClaimMapRuntime", "ClaimMapDiagnostics", "ClaimMapSyntax", "ClaimMapJOSE", "ClaimMapEvaluator"]),
        .executableTarget(name: "FuzzJSON", dependencies: ["ClaimMapFuzzEntryPoints"], swiftSettings: fuzzFlags),
        .executableTarget(name: "FuzzSpecReader", dependencies: ["ClaimMapFuzzEntryPoints"], swiftSettings: fuzzFlags),
        .executableTarget(name: "FuzzExpression", dependencies: ["ClaimMapFuzzEntryPoints"], swiftSettings: fuzzFlags),
        .executableTarget(name: "FuzzJWS", dependencies: ["ClaimMapFuzzEntryPoints"], swiftSettings: fuzzFlags),
        .executableTarget(name: "FuzzJWKS", dependencies: ["ClaimMapFuzzEntryPoints"], swiftSettings: fuzzFlags),
        .executableTarget(name: "FuzzContractFastPaths", dependencies: ["ClaimMapFuzzEntryPoints"], swiftSettings: fuzzFlags),
    ],
    swiftLanguageModes: [.v6]
)
