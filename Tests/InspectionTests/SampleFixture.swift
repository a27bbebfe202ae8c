import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
import Inspection
import NightlyRun
import RunModel
import Sampling
import TestSupport

/// One pipeline run on SampleData, made once per test process, and helpers to draw from it.
enum SampleFixture {
    static let pipeline = TestPaths.repo("Pipelines/shandong.yaml")

    /// The run directory (made by `Runner.run` in-process; about 5 s in a debug build).
    static let run: String = {
        let out = TestPaths.temporaryDirectory("sample-runs")
        let summary = try! Runner.run(
            RunOptions(pipeline: pipeline, input: TestPaths.repo("SampleData"), asOf: Day(iso: "2024-12-31")!, output: out, threads: 2))
        return summary.runDirectory
    }()

    static let definition: PipelineDefinition = try! PipelineDefinition.load(pipeline)

    /// Writes a task file into a fresh directory and returns its path.
    static func task(_ yaml: String) -> String {
        TestPaths.write(yaml, to: TestPaths.temporaryDirectory("task"), "task.yaml")
    }

    static func request(task: String? = nil, seed: String? = nil, output: String? = nil, inspectors: String? = nil, history: String? = nil, run: String? = nil, threads: Int = 1, shards: Int = 1) -> SampleRequest {
        SampleRequest(
            runDirectory: run ?? Self.run, pipeline: pipeline, taskPath: task, seed: seed,
            output: output ?? TestPaths.temporaryDirectory("sample") + "/out", inspectors: inspectors, history: history, threads: threads,
            shards: shards)
    }

    /// A copy of the run directory (to tamper with).
    static func copyOfRun() -> String {
        let dir = TestPaths.temporaryDirectory("run-copy") + "/run"
        try! FileManager.default.copyItem(atPath: run, toPath: dir)
        return dir
    }

    static func rows(_ path: String) throws -> ReferenceTable { try ReferenceTable.load(path, requiredColumns: []) }
}
