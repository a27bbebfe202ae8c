import DigiTagBase
import Foundation
import NightlyRun
import RunModel
import TestSupport
import Testing

/// What operators rely on: gates that refuse bad deliveries, metrics, retention.
@Suite(.serialized) struct OperationsTests {
    /// A copy of Pipelines/ whose pipeline file gets `extra` appended.
    func pipeline(_ extra: String) throws -> String {
        let dir = TestPaths.temporaryDirectory("ops-pipelines")
        try FileManager.default.removeItem(atPath: dir)
        try FileManager.default.copyItem(atPath: TestPaths.repo("Pipelines"), toPath: dir)
        let file = dir + "/shandong.yaml"
        try (TestPaths.read(file) + "\n" + extra + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func options(_ pipeline: String, out: String, asOf: String = "2024-12-31", input: String = TestPaths.repo("SampleData"), keep: Int? = nil) -> RunOptions {
        RunOptions(pipeline: pipeline, input: input, asOf: Day(iso: asOf)!, output: out, threads: 2, keepRuns: keep)
    }

    @Test func rejectRateGateRefusesAndPublishesNothing() throws {
        // SampleData's hand-made registration rows: 7 rejected of 2010 (0.35%): a 0.1% limit fails.
        let p = try pipeline("gates:\n  max_reject_rate: {default: 0.5, registration: 0.001}")
        let out = TestPaths.temporaryDirectory("ops-runs")
        let e = try #require(throws: GateFailedError.self) { _ = try Runner.run(options(p, out: out)) }
        #expect(e.failures.map(\.source) == ["registration"])
        #expect(e.description.contains("7 of 2010 rows rejected"))
        #expect(!FileManager.default.fileExists(atPath: out + "/current"))
        #expect(!FileManager.default.fileExists(atPath: out + "/2024-12-31"))
        #expect(FileManager.default.fileExists(atPath: out + "/.failed-2024-12-31/rejects/registration.csv"))
        let metrics = TestPaths.read(out + "/metrics.prom")
        #expect(metrics.contains("digitag_run_success 0"))
        #expect(metrics.contains("digitag_gate_passed{gate=\"max_reject_rate\",source=\"registration\"} 0"))
    }

    @Test func rowCountsMayNotDropBelowThePreviousRun() throws {
        let p = try pipeline("gates:\n  min_rows_vs_previous: 0.9")
        let out = TestPaths.temporaryDirectory("ops-runs")
        _ = try Runner.run(options(p, out: out))
        // The next delivery lost most penalties.
        let input = TestPaths.temporaryDirectory("ops-input")
        try FileManager.default.removeItem(atPath: input)
        try FileManager.default.copyItem(atPath: TestPaths.repo("SampleData"), toPath: input)
        let penalties = TestPaths.read(input + "/market/penalties.csv").split(separator: "\n")
        try (penalties.prefix(50).joined(separator: "\n") + "\n").write(toFile: input + "/market/penalties.csv", atomically: true, encoding: .utf8)
        do {
            _ = try Runner.run(options(p, out: out, asOf: "2025-01-31", input: input))
            Issue.record("the gate should have failed")
        } catch let e as GateFailedError {
            #expect(e.failures.map(\.gate) == ["min_rows_vs_previous"])
            #expect(e.failures.map(\.source) == ["penalties"])
        }
        // The previous run stays current and readable.
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/current") == "2024-12-31")
    }

    @Test func metricsAndRetention() throws {
        let p = try pipeline("keep_runs: 2")
        let out = TestPaths.temporaryDirectory("ops-runs")
        for asOf in ["2024-10-31", "2024-11-30", "2024-12-31"] { _ = try Runner.run(options(p, out: out, asOf: asOf)) }
        #expect(RunHistory.list(root: out).map(\.name) == ["2024-11-30", "2024-12-31"])
        #expect(RunHistory.list(root: out).last?.isCurrent == true)
        let metrics = TestPaths.read(out + "/metrics.prom")
        #expect(metrics.contains("digitag_run_success 1"))
        #expect(metrics.contains("# TYPE digitag_rows gauge"))
        #expect(metrics.contains("digitag_rows{source=\"penalties\",outcome=\"rejected\"} 8"))
        #expect(metrics.contains("digitag_enterprises{class=\"A\"}"))
        #expect(metrics.contains("digitag_last_success_timestamp_seconds"))
        let manifest = try Manifest.read(out + "/current/manifest.json")
        #expect(manifest.gates != nil)
    }

    @Test func gateConfigurationErrorsNameThePlace() throws {
        let p = try pipeline("gates:\n  max_reject_rate: {penaltys: 0.1}\n  schema_drift: maybe")
        do {
            _ = try PipelineDefinition.load(p)
            Issue.record("expected errors")
        } catch let e as DiagnosticsError {
            #expect(e.description.contains("unknown source 'penaltys' in max_reject_rate (did you mean 'penalties'?)"))
            #expect(e.description.contains("schema_drift is 'warn' or 'fail'"))
        }
    }
}
