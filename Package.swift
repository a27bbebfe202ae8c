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
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // The web application (`digitag serve`). No package traits: swift-configuration is not needed, and
        // each trait is more to build on every fresh clone (CI builds from one).
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", exact: "2.5.0"),
    ],
    targets: [
        // C libraries: a module map and a shim header each, nothing else.
        .systemLibrary(name: "CCSV", path: "Sources/CCSV", providers: [.apt(["libcsv-dev"])]),
        .systemLibrary(
            name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // SHA-256 from OpenSSL's libcrypto (Debian's libssl-dev): swift-crypto would compile its own BoringSSL.
        .systemLibrary(
            name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // Foundations shared by every layer: dates, diagnostics with a place, YAML with locations, the error
        // contract (which exit code each error means), file I/O.
        .target(name: "DigiTagBase", dependencies: [.product(name: "Yams", package: "Yams")]),
        // The data contract, C-free: source schemas, vocabularies, code tables, the USCC, result codes.
        // The tag language checks against it without linking libcsv or libzstd.
        .target(name: "DataContract", dependencies: ["DigiTagBase"]),
        // Streaming CSV (libcsv) and zstd readers/writers, SHA-256 (libcrypto), field parsing, text tables.
        .target(
            name: "DigiTagIO",
            dependencies: [
                "DigiTagBase", "DataContract", "CCSV", "CZstd", "CCrypto",
            ]),
        // The tag language: YAML -> syntax -> type check -> evaluation plan, and its SQL compiler.
        .target(name: "Catalog", dependencies: ["DigiTagBase", "DataContract", .product(name: "Yams", package: "Yams")]),
        // Ingest into shards, spill, columnar evaluation of the plan, Dispatch-parallel.
        .target(name: "Engine", dependencies: ["DigiTagBase", "DataContract", "DigiTagIO", "Catalog"]),
        // Scorecard, hard rules, class cut-offs, reason codes.
        .target(name: "Risk", dependencies: ["DigiTagBase", "Catalog"]),
        // Strata, ratios, keyed-hash draws, weights, inspector matching, replacements.
        .target(
            name: "Sampling",
            dependencies: [
                "DigiTagBase", "DataContract", "DigiTagIO"
            ]),
        // Deterministic synthetic data for SampleData and benchmarks.
        .target(name: "Generator", dependencies: ["DigiTagBase", "DataContract", "DigiTagIO"]),
        // The published-run contract: pipeline definition, manifest, gates, value formats, reason text, history.
        .target(
            name: "RunModel",
            dependencies: [
                "DigiTagBase", "DataContract", "DigiTagIO", "Catalog", "Engine", "Risk",
            ]),
        // The published columnar profile store: format, encoding, writer, reader, statistics.
        .target(
            name: "ProfileStore",
            dependencies: ["DigiTagBase", "DataContract", "DigiTagIO", "Catalog", "Engine", "Risk", "RunModel"]),
        // Questions over a published run: profile lookup, segments, explanation, tag statistics.
        .target(
            name: "Query",
            dependencies: [
                "DigiTagBase", "DataContract", "DigiTagIO", "Catalog", "Engine", "Risk", "RunModel", "ProfileStore",
            ]),
        // report.html, the run diff and the change summary.
        .target(
            name: "Report",
            dependencies: [
                "DigiTagBase", "DataContract", "DigiTagIO", "Catalog", "Engine", "RunModel", "ProfileStore", "Query", "Model",
            ]),
        // The sampling workflow over a published run: draw, outputs, audit, verify, replace, lint, results import.
        .target(
            name: "Inspection",
            dependencies: [
                "DigiTagBase", "DataContract", "DigiTagIO", "Catalog", "Engine", "Sampling", "RunModel", "ProfileStore",
            ]),
        // Back-testing the risk model against inspection outcomes, and fitting a proposed scorecard.
        .target(
            name: "Model",
            dependencies: ["DigiTagBase", "DataContract", "DigiTagIO", "Catalog", "Engine", "Risk", "RunModel", "Inspection"]),
        // The nightly run: staging, checkpoint, lock, gates, writers, metrics, atomic publish.
        .target(
            name: "NightlyRun",
            dependencies: [
                "DigiTagBase", "DataContract", "DigiTagIO", "Catalog", "Engine", "Risk", "RunModel", "ProfileStore",
                "Report",
            ]),
        // `digitag serve`: pages, JSON API, sessions, the access policy and the audit log over published runs.
        // Links the store, queries, the report's change summary and the sampling workflow, never the nightly run.
        .target(
            name: "WebApp",
            dependencies: [
                "DigiTagBase", "DataContract", "DigiTagIO", "Catalog", "Engine", "Risk", "Sampling", "RunModel", "ProfileStore", "Query",
                "Report", "Inspection", "Model",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]),
        // The commands, as a library so tests can call them: one file per command, thin.
        .target(
            name: "DigitagCommands",
            dependencies: [
                "DigiTagBase", "DataContract", "DigiTagIO", "Catalog", "Engine", "Risk", "Sampling", "Generator",
                "RunModel", "ProfileStore", "Query", "Report", "Inspection", "NightlyRun", "WebApp", "Model",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: ["GitCommit"]),
        // Writes the git commit the binary is built from into DigitagCommands (`digitag --version`).
        .plugin(name: "GitCommit", capability: .buildTool()),
        .executableTarget(name: "digitag", dependencies: ["DigitagCommands"]),

        .target(name: "TestSupport", dependencies: ["DigiTagBase", "DataContract", "DigiTagIO", propertyBased], path: "Tests/TestSupport"),
        .testTarget(name: "DigiTagIOTests", dependencies: ["DataContract", "DigiTagIO", "TestSupport", propertyBased]),
        .testTarget(name: "CatalogTests", dependencies: ["DataContract", "Catalog", "TestSupport", propertyBased]),
        .testTarget(name: "EngineTests", dependencies: ["DataContract", "Engine", "Catalog", "TestSupport"]),
        .testTarget(name: "RiskTests", dependencies: ["DataContract", "Risk", "Catalog", "TestSupport"]),
        .testTarget(name: "SamplingTests", dependencies: ["DataContract", "Sampling", "DigiTagIO", "TestSupport"]),
        .testTarget(name: "GeneratorTests", dependencies: ["DataContract", "Generator", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["DataContract", "DigiTagBase", "TestSupport", "DigiTagIO", "ProfileStore"]),
        .testTarget(name: "OracleTests", dependencies: ["DataContract", "TestSupport", "DigiTagIO"]),
        .testTarget(
            name: "DigitagCommandsTests",
            dependencies: [
                "DigitagCommands", "DigiTagBase", "DataContract", "DigiTagIO", "Catalog", "Engine", "Sampling", "RunModel",
                "Query", "Inspection", "NightlyRun", "WebApp", "Model", "TestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "ModelTests", dependencies: ["Model", "Catalog", "Risk", "RunModel", "TestSupport"]),
        .testTarget(
            name: "NightlyRunTests", dependencies: ["DigiTagBase", "DataContract", "RunModel", "NightlyRun", "TestSupport"]),
        .testTarget(
            name: "ReportTests",
            dependencies: [
                "DigiTagBase", "DataContract", "DigiTagIO", "RunModel", "ProfileStore", "Report", "NightlyRun", "TestSupport",
            ]),
        .testTarget(
            name: "InspectionTests",
            dependencies: [
                "DigiTagBase", "DataContract", "DigiTagIO", "Engine", "Sampling", "RunModel", "Query", "Inspection", "NightlyRun",
                "TestSupport",
            ]),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "DataContract", "RunModel", "ProfileStore", "Query", "Inspection", "NightlyRun", "Catalog",
                "DigiTagIO", "Engine", "Risk", "TestSupport", propertyBased,
            ]),
        .testTarget(
            name: "WebAppTests",
            dependencies: [
                "WebApp", "DigiTagBase", "DataContract", "DigiTagIO", "Catalog", "RunModel", "ProfileStore", "Query", "NightlyRun",
                "Sampling", "Inspection", "TestSupport", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]),
    ]
)

// The same strict settings for every Swift target.
for target in package.targets where target.type != .system && target.type != .plugin {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    // Release builds skip run-time exclusivity checks: in the hot loops (ingest callbacks, the writers)
    // they cost ~8% of a run (swift_beginAccess, AccessSet::insert in the profile). Debug builds, which
    // the tests run, keep them and so still catch any overlapping access.
    settings.append(.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)))
    // The tests run the debug build, and they run the pipeline, the draw and the binary hundreds of times:
    // unoptimized, a SampleData run costs 6 s of CPU instead of 1. The project's libraries that do the work
    // are optimized in debug builds too (-O after SwiftPM's -Onone wins). The test targets (macros, not hot),
    // the commands and the web application (argument and request handling) stay unoptimized: optimizing
    // costs compile time, which every fresh clone pays. Exclusivity checks and -enable-testing stay.
    let coldTargets: Set<String> = ["DigitagCommands", "WebApp", "digitag", "TestSupport"]
    if target.type != .test && !coldTargets.contains(target.name) {
        settings.append(.unsafeFlags(["-O"], .when(configuration: .debug)))
    }
    target.swiftSettings = settings
}
