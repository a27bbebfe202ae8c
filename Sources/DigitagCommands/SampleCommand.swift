import ArgumentParser
import DigiTagBase
import Foundation
import Pipeline

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Draw enterprises for an inspection task from a published run (双随机).",
        discussion: """
            Each enterprise's ticket is SHA-256(seed ␟ task id ␟ USCC); in every stratum (risk class, or class ×
            county as the task says) the enterprises with the lowest tickets are drawn, as many as the task's ratio
            gives (largest-remainder rounding). The same run, task and seed always give the same sample.
            Writes plan.csv and audit.json to --out.
            """)

    @Option(name: .customLong("run"), help: "A published run directory, e.g. runs/current.")
    var runDirectory = "runs/current"

    @Option(help: "The task file (default: the pipeline's default_task).")
    var task: String?

    @Option(help: "The pipeline file, for its default task.")
    var pipeline = "Pipelines/shandong.yaml"

    @Option(help: "The seed: any text, taken as its exact bytes. Publish it with the task.")
    var seed: String

    @Option(help: "Output directory for the sample.")
    var out: String

    func validate() throws {
        guard !seed.isEmpty else { throw ValidationError("--seed must not be empty: the draw must be reproducible") }
    }

    func run() throws {
        try reportingFailures {
            var taskPath = task
            if taskPath == nil {
                let definition = try PipelineDefinition.load(pipeline)
                taskPath = definition.defaultTask
            }
            guard let taskPath else {
                throw ValidationError("no --task given and the pipeline names no default_task")
            }
            let s = try SampleRunner.run(runDirectory: runDirectory, taskPath: taskPath, seed: seed, output: out)
            print("sample written: \(s.directory)/plan.csv (\(s.drawn) of \(s.population) enterprises)")
            for st in s.strata {
                print("  stratum \(st.key): \(st.drawn) of \(st.size) (ratio \(st.ratio))")
            }
            print("  audit record: \(s.directory)/audit.json")
        }
    }
}
