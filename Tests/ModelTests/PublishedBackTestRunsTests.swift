import Foundation
import Model
import RunModel
import Testing
import TestSupport

/// Which earlier runs a nightly run back-tests: the latest run of each month, the last twelve months, and no
/// more enterprise rows than the memory budget allows (latest first).
@Suite struct PublishedBackTestRunsTests {
    /// A runs folder holding only manifests, one per (as-of date, enterprises).
    static func root(_ runs: [(String, Int)]) throws -> String {
        let root = TestPaths.temporaryDirectory("backtest-runs")
        for (day, enterprises) in runs {
            let dir = root + "/" + day
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let manifest = Manifest(
                pipeline: "p", pipelineHash: "h", asOf: day, input: "in", enterprises: enterprises, enterprisesAfterAsOf: 0, tags: 1,
                riskModel: "m", classCounts: [:], sources: [], outputs: [], threads: 1, shards: 1, timings: [:])
            try manifest.encoded().write(to: URL(fileURLWithPath: dir + "/manifest.json"))
        }
        return root
    }

    @Test("the latest run of each month before the as-of date, at most twelve months")
    func monthly() throws {
        let days = (1...12).map { String(format: "2023-%02d-28", $0) } + ["2024-01-28", "2024-02-28"]
        let root = try Self.root(days.map { ($0, 1000) } + [("2024-02-10", 1000), ("2024-03-05", 1000)])
        let chosen = PublishedBackTest.runs(runsRoot: root, before: "2024-03-01")
        // 2024-03-05 is not before the as-of date; February's latest is the 28th, not the 10th; 14 months → 12.
        #expect(chosen.count == 12)
        #expect(chosen.first == "2023-03-28")
        #expect(chosen.last == "2024-02-28")
        #expect(!chosen.contains("2024-02-10"))
    }

    @Test("the memory budget keeps the latest runs that fit, and a run too large for it is said, not loaded")
    func budget() throws {
        let root = try Self.root([("2024-01-31", 900_000), ("2024-02-29", 1_000_000), ("2024-03-31", 1_000_000)])
        #expect(PublishedBackTest.runs(runsRoot: root, before: "2024-04-30") == ["2024-02-29", "2024-03-31"])
        #expect(PublishedBackTest.runs(runsRoot: root, before: "2024-04-30", maxEnterpriseRows: 1_500_000) == ["2024-03-31"])
        let big = try Self.root([("2024-03-31", 5_000_000)])
        #expect(PublishedBackTest.runs(runsRoot: big, before: "2024-04-30").isEmpty)
        let made = PublishedBackTest.make(runsRoot: big, before: "2024-04-30", input: TestPaths.repo("SampleData"))
        #expect(made.report == nil)
        #expect(made.absentReason?.contains("model report") == true)
    }
}
