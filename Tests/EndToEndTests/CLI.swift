import Foundation
import TestSupport

/// Runs the built `digitag` binary, as a user would.
enum CLI {
    static let binary: String = ProcessInfo.processInfo.environment["DIGITAG_BIN"] ?? TestPaths.repo(".build/debug/digitag")

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    static func run(_ arguments: [String], in directory: String = TestPaths.repositoryRoot) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes before waiting, so a chatty command cannot block on a full pipe.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// Runs the pipeline on `input` into a fresh directory; returns the run directory.
    static func runPipeline(input: String = TestPaths.repo("SampleData"), asOf: String = "2024-12-31", extra: [String] = []) throws -> (dir: String, result: Result) {
        let out = TestPaths.temporaryDirectory("runs")
        let r = try run(
            ["run", "--pipeline", TestPaths.repo("Pipelines/shandong.yaml"), "--input", input, "--as-of", asOf, "--out", out] + extra)
        return (out + "/" + asOf, r)
    }
}
