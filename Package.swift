// swift-tools-version:6.1
import PackageDescription

/// Generators for the property tests (swift-property-based), for the test targets only.
let propertyBased: Target.Dependency = .product(name: "PropertyBased", package: "swift-property-based")

let package = Package(
    name: "digitag",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "digitag", targets: ["digitag"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // C libraries: a module map and a shim header each, nothing else.
        .systemLibrary(name: "CCSV", path: "Sources/CCSV", providers: [.apt(["libcsv-dev"])]),
        .systemLibrary(
            name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),

        // Foundations shared by every layer: dates, diagnostics with a place, YAML with locations.
        .target(name: "DigiTagBase", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Streaming CSV (libcsv) and zstd readers/writers, source schemas, row validation.
        .target(
            name: "DigiTagIO",
            dependencies: ["DigiTagBase", "CCSV", "CZstd", .product(name: "Crypto", package: "swift-crypto")]),
        // The tag language: YAML -> AST -> type check -> evaluation plan.
        .target(name: "Catalog", dependencies: ["DigiTagBase", "DigiTagIO"]),
        // Ingest into shards, columnar evaluation of the plan, Dispatch-parallel.
        .target(name: "Engine", dependencies: ["DigiTagBase", "DigiTagIO", "Catalog"]),
        // Scorecard, hard rules, class cut-offs, reason codes.
        .target(name: "Risk", dependencies: ["DigiTagBase", "Catalog"]),
        // Strata, ratios, keyed-hash draws, inspector matching.
        .target(
            name: "Sampling",
            dependencies: ["DigiTagBase", "DigiTagIO", .product(name: "Crypto", package: "swift-crypto")]),
        // Deterministic synthetic data for SampleData and benchmarks.
        .target(name: "Generator", dependencies: ["DigiTagBase", "DigiTagIO"]),
        // Run orchestration: run directory, manifest, outputs, publish.
        .target(
            name: "Pipeline",
            dependencies: [
                "DigiTagBase", "DigiTagIO", "Catalog", "Engine", "Risk", "Sampling",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // The commands, as a library so tests can call them.
        .target(
            name: "DigitagCommands",
            dependencies: [
                "DigiTagBase", "DigiTagIO", "Catalog", "Engine", "Risk", "Sampling", "Generator", "Pipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(name: "digitag", dependencies: ["DigitagCommands"]),

        .target(name: "TestSupport", dependencies: ["DigiTagBase", "DigiTagIO", propertyBased], path: "Tests/TestSupport"),
        .testTarget(name: "DigiTagIOTests", dependencies: ["DigiTagIO", "TestSupport", propertyBased]),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog", "TestSupport", propertyBased]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Catalog", "TestSupport"]),
        .testTarget(name: "RiskTests", dependencies: ["Risk", "Catalog", "TestSupport"]),
        .testTarget(name: "SamplingTests", dependencies: ["Sampling", "DigiTagIO", "TestSupport"]),
        .testTarget(name: "GeneratorTests", dependencies: ["Generator", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "DigiTagIO"]),
        .testTarget(name: "OracleTests", dependencies: ["TestSupport", "DigiTagIO"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Sampling", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Pipeline", "Catalog", "DigiTagIO", "Engine", "Risk", "TestSupport", propertyBased]),
    ]
)

// The same strict settings for every Swift target.
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    // Release builds skip run-time exclusivity checks: in the hot loops (ingest callbacks, the writers)
    // they cost ~8% of a run (swift_beginAccess, AccessSet::insert in the profile). Debug builds, which
    // the tests run, keep them and so still catch any overlapping access.
    settings.append(.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)))
    target.swiftSettings = settings
}
