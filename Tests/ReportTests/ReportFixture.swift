import DigiTagBase
import Foundation
import NightlyRun
import RunModel
import TestSupport

/// Two nights of SampleData published into one directory, made once per test process: the first run has
/// nothing before it, the second compares itself with the first (changes.json, report.html).
enum ReportFixture {
    static let pipeline = TestPaths.repo("Pipelines/shandong.yaml")
    static let definition: PipelineDefinition = try! PipelineDefinition.load(pipeline)

    /// `<out>/2024-06-30` then `<out>/2024-12-31` (current).
    static let out: String = {
        let out = TestPaths.temporaryDirectory("report-runs")
        for asOf in ["2024-06-30", "2024-12-31"] { _ = try! Runner.run(options(out: out, asOf: asOf)) }
        return out
    }()

    /// The same night on half the enterprises (every other line of market/enterprises.csv), in a directory of
    /// its own: compared with `second`, a thousand enterprises are new and interleave with the others.
    static let half: String = {
        let input = TestPaths.temporaryDirectory("report-half-input") + "/SampleData"
        try! FileManager.default.copyItem(atPath: TestPaths.repo("SampleData"), toPath: input)
        let file = input + "/market/enterprises.csv"
        let lines = TestPaths.read(file).split(separator: "\n", omittingEmptySubsequences: false)
        let kept = lines.enumerated().filter { i, line in i == 0 || (i % 2 == 0 && !line.isEmpty) }.map(\.1)
        try! (kept.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        var halfOptions = options(out: TestPaths.temporaryDirectory("report-half"), asOf: "2024-12-31")
        halfOptions.input = input
        // The records of the enterprises left out are rejected (about half of every source): on purpose here.
        halfOptions.acceptGates = [GateAcceptance(gate: "max_reject_rate", reason: "the fixture leaves out every other enterprise")]
        return try! Runner.run(halfOptions).runDirectory
    }()

    static var first: String { out + "/2024-06-30" }
    static var second: String { out + "/2024-12-31" }

    static func options(out: String, asOf: String) -> RunOptions {
        RunOptions(pipeline: pipeline, input: TestPaths.repo("SampleData"), asOf: Day(iso: asOf)!, output: out, threads: 2)
    }

    /// A copy of a run without its profile store, so that `RunDiff` reads its CSV files.
    static func withoutStore(_ run: String) throws -> String {
        let dir = TestPaths.temporaryDirectory("report-csv-only") + "/" + (run as NSString).lastPathComponent
        try FileManager.default.copyItem(atPath: run, toPath: dir)
        try FileManager.default.removeItem(atPath: dir + "/store")
        return dir
    }

    /// A copy of both runs and the `current` link, to tamper with.
    static func copy() throws -> String {
        let dir = TestPaths.temporaryDirectory("report-copy") + "/runs"
        try FileManager.default.copyItem(atPath: out, toPath: dir)
        return dir
    }
}
