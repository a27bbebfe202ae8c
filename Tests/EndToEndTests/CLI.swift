import Foundation
import TestSupport

/// Runs the built `digitag` binary, as a user would.
enum CLI {
    static let binary = ProcessRunner.digitag

    typealias Result = ProcessRunner.Result

    @discardableResult
    static func run(_ arguments: [String], in directory: String = TestPaths.repositoryRoot, environment: [String: String] = [:]) throws -> Result {
        try ProcessRunner.run(binary, arguments, in: directory, environment: environment)
    }

    /// Runs the pipeline on `input` into a fresh directory; returns the run directory.
    static func runPipeline(input: String = TestPaths.repo("SampleData"), asOf: String = "2024-12-31", extra: [String] = []) throws -> (dir: String, result: Result) {
        let out = TestPaths.temporaryDirectory("runs")
        let r = try run(
            ["run", "--pipeline", TestPaths.repo("Pipelines/shandong.yaml"), "--input", input, "--as-of", asOf, "--out", out] + extra)
        return (out + "/" + asOf, r)
    }
}
