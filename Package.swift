// swift-tools-version:6.1
import PackageDescription

// The compiler is a pipeline of stages, one module each, with dependencies pointing one way:
// runtime <- diagnostics <- syntax (the only module that touches Yams) <- semantics <- emitters <- driver <- claimmap.
// Tools version 6.1: the EmbedSources plugin reads its target's folder through `directoryURL`.
let package = Package(
    name: "ClaimMap",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "claimmap", targets: ["claimmap"])
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-asn1", exact: "1.7.4"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
    ],
    targets: [
        // Leaf, Foundation only: the evaluator runtime (the JSON model, printer and strict reader; Architect's values,
        // operators and functions; claim contracts; the program format and its interpreter). Its sources are what
        // every Generated/<name>/ClaimMapRuntime.swift holds (the EmbedSources plugin copies them at build time), so
        // nothing in it may use `package` access or import another module.
        .target(name: "ClaimMapRuntime"),
        .target(name: "ClaimMapDiagnostics", dependencies: ["ClaimMapRuntime"]),
        // The JOSE verifier: strict base64url, compact JWS, JWKS key policy, signatures through swift-crypto,
        // ID-token claim validation. No dependency on the compiler.
        .target(
            name: "ClaimMapJOSE",
            dependencies: [
                "ClaimMapRuntime", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // The program's text form (evaluator.json, read and written) and the fast paths' oracle; not shipped.
        .target(name: "ClaimMapEvaluator", dependencies: ["ClaimMapRuntime"]),
        .target(
            name: "ClaimMapSyntax",
            // The evaluator runtime for ECMAPattern: a spec's pattern is checked by the code that will run it.
            dependencies: ["ClaimMapRuntime", "ClaimMapDiagnostics", .product(name: "Yams", package: "Yams")]
        ),
        .target(name: "ClaimMapSemantics", dependencies: ["ClaimMapRuntime", "ClaimMapDiagnostics", "ClaimMapSyntax"]),
        .target(
            name: "ClaimMapEmitters",
            dependencies: [
                "ClaimMapRuntime", "ClaimMapDiagnostics", "ClaimMapSyntax", "ClaimMapSemantics", "ClaimMapEvaluator",
            ],
            // PageScript/*.js is JavaScript, linted and run by Tests/web; EmbedSources embeds it (and the runtime).
            exclude: ["PageScript"],
            plugins: ["EmbedSources"]
        ),
        // Build-time embedding of the sources the emitters ship verbatim (Plugins/EmbedSources).
        .executableTarget(name: "EmbedSourcesTool"),
        .plugin(name: "EmbedSources", capability: .buildTool(), dependencies: ["EmbedSourcesTool"]),
        // The live identity provider: OIDC discovery and JWKS over HTTPS (async-http-client on SwiftNIO), with the
        // network rules of docs/decisions.md (https only but loopback, caps, timeouts, redirects, no token sent).
        .target(
            name: "ClaimMapIdP",
            dependencies: [
                "ClaimMapRuntime", "ClaimMapJOSE", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // What each fuzz target runs on one input (Fuzz/ links it; FuzzRegressionTests replays through it).
        .target(
            name: "ClaimMapFuzzEntryPoints",
            dependencies: [
                "ClaimMapRuntime", "ClaimMapDiagnostics", "ClaimMapSyntax", "ClaimMapJOSE", "ClaimMapEvaluator",
            ]
        ),
        // renameat2(RENAME_EXCHANGE) for the atomic swap of an output folder (docs/decisions.md, Atomic output).
        .target(name: "CClaimMapShims"),
        .target(
            name: "ClaimMapDriver",
            dependencies: [
                "CClaimMapShims", "ClaimMapRuntime", "ClaimMapJOSE", "ClaimMapIdP", "ClaimMapDiagnostics",
                "ClaimMapSyntax",
                "ClaimMapSemantics",
                "ClaimMapEmitters",
                "ClaimMapEvaluator",
            ]
        ),
        .executableTarget(
            name: "claimmap",
            dependencies: ["ClaimMapDriver", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Markers, corpora and spec builders shared by the test targets; never linked into the tool.
        .target(
            name: "ClaimMapTestSupport", dependencies: ["ClaimMapRuntime", "ClaimMapDiagnostics", "ClaimMapDriver"],
            path: "Tests/Support"),
        .testTarget(name: "ClaimMapRuntimeTests", dependencies: ["ClaimMapRuntime", "ClaimMapTestSupport"]),
        .testTarget(
            name: "ClaimMapJOSETests",
            dependencies: [
                "ClaimMapJOSE", "ClaimMapRuntime", "ClaimMapTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "ClaimMapSyntaxTests", dependencies: ["ClaimMapSyntax", "ClaimMapDiagnostics", "ClaimMapTestSupport"]),
        .testTarget(
            name: "ClaimMapSemanticsTests",
            dependencies: [
                "ClaimMapSemantics", "ClaimMapSyntax", "ClaimMapDiagnostics", "ClaimMapDriver", "ClaimMapTestSupport",
            ]
        ),
        .testTarget(
            name: "ClaimMapEmittersTests",
            dependencies: [
                "ClaimMapEmitters", "ClaimMapEvaluator", "ClaimMapSemantics", "ClaimMapSyntax", "ClaimMapRuntime",
                "ClaimMapDriver", "ClaimMapTestSupport",
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "ClaimMapDriverTests",
            dependencies: [
                "ClaimMapDriver", "ClaimMapTestSupport", "claimmap", "ClaimMapJOSE", "ClaimMapRuntime",
                "ClaimMapSyntax",
                "ClaimMapIdP", "ClaimMapFuzzEntryPoints",
                "ClaimMapDiagnostics", "ClaimMapEvaluator", "ClaimMapEmitters", "ClaimMapSemantics",
                // To rewrite generated flows as another YAML writer would (drift --deployed tests).
                .product(name: "Yams", package: "Yams"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
