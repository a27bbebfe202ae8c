import Catalog
import DataContract
import DigiTagBase
import DigiTagIO
import Engine
import TestSupport

/// A tiny input directory built from the real schemas: every source gets its header, and tests add rows.
struct MiniDataset {
    let directory = TestPaths.temporaryDirectory("mini")
    var rows: [String: [String]] = [:]
    static let sources: SourceCatalog = {
        let regions = try! ReferenceTable.load(TestPaths.repo("Pipelines/regions.csv"), requiredColumns: ["code", "city_code"])
        let industries = try! ReferenceTable.load(TestPaths.repo("Pipelines/industries.csv"), requiredColumns: ["code", "section"])
        return try! SourceCatalog.load(path: TestPaths.repo("Pipelines/sources.yaml"), regions: regions, industries: industries)
    }()

    /// Valid USCCs for test enterprises 1, 2, 3 … (county 370102, Jinan).
    static func uscc(_ i: Int) -> String {
        USCC.complete("91370102MA" + String(repeating: "0", count: 7 - String(i).count) + String(i))
    }

    /// A registration row with sensible defaults.
    mutating func enterprise(
        _ i: Int, established: String = "2015-03-01", capital: String = "500", type: String = "company",
        region: String = "370102", industry: String = "F52", status: String = "operating", statusOn: String = "",
        rep: String? = nil
    ) {
        add(
            "registration",
            [
                MiniDataset.uscc(i), "测试企业\(i)", type, "张三", rep ?? "P\(i)", capital, established, industry, region, "地址", status,
                statusOn,
            ])
    }

    mutating func add(_ source: String, _ fields: [String]) {
        rows[source, default: []].append(fields.map(quote).joined(separator: ","))
    }

    func quote(_ s: String) -> String { s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }

    func write() {
        for s in MiniDataset.sources.sources {
            let header = s.fields.map(\.name).joined(separator: ",")
            let body = (rows[s.name] ?? []).joined(separator: "\n")
            TestPaths.write(header + "\n" + body + (body.isEmpty ? "" : "\n"), to: directory, s.files + ".csv")
        }
    }

    /// Ingests and evaluates `tagsYAML` as of `asOf`; returns tag id → values by enterprise number.
    func evaluate(_ tagsYAML: String, asOf: String = "2024-12-31", shards: Int = 1) throws -> (values: [String: [String]], ingest: IngestResult) {
        write()
        var loader = CatalogLoader()
        loader.load(text: tagsYAML, file: "test.yaml")
        let catalog = try TagCatalog.compile(definitions: loader.definitions, loadDiagnostics: loader.diagnostics, sources: MiniDataset.sources)
        let day = Day(iso: asOf)!
        let ingest = try Ingest.run(
            sources: MiniDataset.sources, vocabulary: catalog.vocabulary, input: directory, asOf: day,
            rejectsDirectory: directory + "/rejects", spillDirectory: directory + "/spill", threads: 2, sizing: .count(shards))
        let evaluator = TagEvaluator(catalog: catalog, asOf: day)
        var out: [String: [String]] = [:]
        func shard(_ s: Int) throws -> ShardData { try ingest.shard(s) }
        let shards = ingest.plan.count
        // First pass for peers_count, as the runner does it: per-person totals summed over shards.
        var totals = [[Int32]](repeating: [Int32](repeating: 0, count: ingest.index.peerGroupCount), count: catalog.peerConditions.count)
        for s in 0..<shards { TagEvaluator.add(evaluator.peerMatches(try shard(s)), to: &totals) }
        for s in 0..<shards {
            let shard = try shard(s)
            let cols = evaluator.evaluate(shard, peers: .totals(totals))
            for (t, tag) in catalog.tags.enumerated() {
                for e in 0..<shard.count {
                    out[tag.id, default: []].append(render(cols[t], e, tag.type, catalog.vocabulary))
                }
            }
        }
        return (out, ingest)
    }

    func render(_ c: Column, _ i: Int, _ type: ValueType, _ v: Vocabulary) -> String {
        switch type {
        case .bool: return c.numbers[i] != 0 ? "true" : "false"
        case .number:
            let x = c.numbers[i]
            return x.isNaN ? "null" : (x == x.rounded() ? String(Int(x)) : String(x))
        case .date: return c.numbers[i].isNaN ? "null" : Day(Int32(c.numbers[i])).description
        case .category: return v.text(c.codes[i]) ?? "null"
        }
    }
}

/// Builds a tag file from (id, type, expr) triples.
func tagFile(_ tags: [(String, String, String)]) -> String {
    "dimension: supervision\ntags:\n"
        + tags.map { "  - {id: \($0.0), name_zh: 测, name_en: t, type: \($0.1), expr: \"\($0.2)\"}" }.joined(separator: "\n")
}
