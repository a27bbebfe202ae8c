import DigiTagBase
import DigiTagIO
import Foundation
import NightlyRun
import RunModel
import TestSupport

/// One pipeline run on SampleData, made once per test process, and its CSV outputs parsed.
enum StoreFixture {
    static let pipeline = TestPaths.repo("Pipelines/shandong.yaml")

    static let run: String = {
        let out = TestPaths.temporaryDirectory("store-runs")
        let summary = try! Runner.run(
            RunOptions(pipeline: pipeline, input: TestPaths.repo("SampleData"), asOf: Day(iso: "2024-12-31")!, output: out, threads: 2, shards: 3))
        return summary.runDirectory
    }()

    static let definition: PipelineDefinition = try! PipelineDefinition.load(pipeline)

    /// A CSV file as header + rows (BOM removed), read with the project's own reader.
    static func table(_ path: String) -> (header: [String], rows: [[String]]) {
        var rows: [[String]] = []
        try! CSVReader(path: path).read(onRow: { rows.append($0.strings) }, onSyntaxProblem: { fatalError("\($0)") })
        let header = rows.removeFirst()
        return (header, rows)
    }

    static let tags = table(run + "/tags.csv")
    static let classes = table(run + "/classes.csv")

    /// tags.csv and classes.csv joined: one dictionary per enterprise, column name → text.
    static let records: [[String: String]] = {
        let classIndex = Dictionary(uniqueKeysWithValues: classes.rows.map { ($0[0], $0) })
        return tags.rows.map { row in
            var r = Dictionary(uniqueKeysWithValues: zip(tags.header, row))
            for (k, v) in zip(classes.header, classIndex[row[0]]!) { r["classes." + k] = v }
            return r
        }
    }()

    /// A copy of the run directory (to tamper with).
    static func copyOfRun() -> String {
        let dir = TestPaths.temporaryDirectory("store-copy") + "/run"
        try! FileManager.default.copyItem(atPath: run, toPath: dir)
        return dir
    }
}
