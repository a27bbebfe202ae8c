import DigiTagBase
import Engine
import Foundation
import Model
import ProfileStore
import RunModel

/// Everything `report.html` shows, gathered from small summaries of a finished run.
///
/// Nothing of this run reads `tags.csv` or `classes.csv`: the counts come from the manifest, the change
/// summary, and the profile store (its `class` and `reg.region` columns for classes by city, its metadata for
/// coverage), so gathering stays cheap at millions of enterprises. The back-test reads the scores of earlier
/// runs (at most one per month, `PublishedBackTest.maxRuns` of them) and the input's inspection records.
public struct RunReport: Sendable {
    public struct RiskClassName: Sendable, Equatable {
        public var code: String
        public var nameZh: String
        public var nameEn: String
    }

    public struct City: Sendable, Equatable {
        /// Empty for enterprises whose region code is not in regions.csv.
        public var code: String
        public var nameZh: String
        public var nameEn: String
        /// Per class, in `classes` order.
        public var counts: [Int]
        public var total: Int { counts.reduce(0, +) }
    }

    public struct TagName: Sendable, Equatable {
        public var zh: String
        public var en: String
    }

    /// The run's name (its as-of date).
    public var run: String
    public var manifest: Manifest
    public var classes: [RiskClassName]
    /// Cities in code order.
    public var cities: [City]
    /// Tag families in catalog order.
    public var families: [StoreStats.FamilyCoverage]
    public var changes: ChangeSummary
    /// Names of the tags the change summary mentions (listings and coverage moves).
    public var tagNames: [String: TagName]
    /// False for the report of a run a gate refused (`.failed-<as-of>/report.html`): no classes, no store,
    /// a red banner naming the gates that failed.
    public var published = true
    /// The back-test of the runs published before this one against the inspections in its input, or why there
    /// is none; nil when not gathered (a refused run).
    public var backTest: PublishedBackTest?

    /// Stages in the order a run goes through them; stages not listed here follow, by name.
    static let stageOrder = ["compile", "ingest", "peers", "derive", "write"]

    /// The manifest's stage timings in run order.
    public var timings: [(stage: String, seconds: Double)] {
        let known = Self.stageOrder.filter { manifest.timings[$0] != nil }
        let others = manifest.timings.keys.filter { !Self.stageOrder.contains($0) }.sorted()
        return (known + others).map { ($0, manifest.timings[$0]!) }
    }

    /// Seconds from the start of the run until its manifest was written.
    public var duration: Double { manifest.timings.values.reduce(0, +) }

    public var gatesFailed: [QualityGates.Result] { (manifest.gates ?? []).filter { !$0.passed } }
    /// Failed gates an operator accepted on the record: the run was published, with an amber line for each.
    public var gatesAccepted: [QualityGates.Result] { manifest.acceptedGates }
    /// Gates that passed but have something to say (schema drift in `warn` mode).
    public var gateWarnings: [QualityGates.Result] { (manifest.gates ?? []).filter { $0.passed && $0.gate == "schema_drift" } }
    /// One sentence per source with records left out as repeats of an earlier record's key, by source name.
    public var duplicateWarnings: [String] {
        (manifest.duplicateRecords ?? [:]).sorted { $0.key < $1.key }.filter { $0.value.count > 0 }.map { $0.value.sentence(source: $0.key) }
    }

    /// Gathers the report of the run in `directory` (a staging folder or a published run).
    /// - Complexity: reads two columns of the profile store; everything else is already in memory.
    public static func gather(
        directory: String, run: String, manifest: Manifest, changes: ChangeSummary, definition: PipelineDefinition
    ) throws -> RunReport {
        let reader = try StoreReader(run: directory)
        let byCity = try StoreStats.classCountsByCity(reader)
        let regions = definition.sources.regions
        var english: [String: String] = [:]
        for (city, name) in zip(regions.column("city_code"), regions.column("city_name_en")) { english[city] = name }
        let names = Dictionary(
            definition.risk.classes.map { ($0.code, RiskClassName(code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn)) },
            uniquingKeysWith: { a, _ in a })
        let classes = reader.meta.classes.map { names[$0] ?? RiskClassName(code: $0, nameZh: "", nameEn: "") }
        let cities = byCity.map { City(code: $0.cityCode, nameZh: $0.cityName, nameEn: english[$0.cityCode] ?? "", counts: $0.counts) }
        var tagNames: [String: TagName] = [:]
        for id in Set(changes.newListingCounts.keys).union(changes.coverageMoves.map(\.tag)) {
            if let t = definition.catalog.tag(id) { tagNames[id] = TagName(zh: t.definition.nameZh, en: t.definition.nameEn) }
        }
        return RunReport(
            run: run, manifest: manifest, classes: classes, cities: cities, families: StoreStats.familyCoverageValues(reader),
            changes: changes, tagNames: tagNames)
    }

    /// The report of a run a gate refused: only what ingest knows (rows per source, timings, every gate).
    /// - Complexity: reads nothing; the run has no store.
    public static func failed(run: String, manifest: Manifest, definition: PipelineDefinition) -> RunReport {
        var report = RunReport(
            run: run, manifest: manifest,
            classes: definition.risk.classes.map { RiskClassName(code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn) }, cities: [],
            families: [], changes: .firstRun(to: run, coverageThreshold: 0), tagNames: [:])
        report.published = false
        return report
    }
}
