import DigiTagBase
import Foundation
import NightlyRun
import RunModel
import TestSupport
import Testing

/// What operators rely on: gates that refuse bad deliveries, metrics, retention.
@Suite(.serialized) struct OperationsTests {
    /// A copy of Pipelines/ whose pipeline file gets `extra` appended; a `gates:` block in `extra` replaces the
    /// shipped one.
    func pipeline(_ extra: String) throws -> String {
        let dir = TestPaths.temporaryDirectory("ops-pipelines")
        try FileManager.default.removeItem(atPath: dir)
        try FileManager.default.copyItem(atPath: TestPaths.repo("Pipelines"), toPath: dir)
        let file = dir + "/shandong.yaml"
        var text = TestPaths.read(file)
        if extra.contains("gates:") { text = PipelineCopy.withoutGates(text) }
        try (text + "\n" + extra + "\n").write(toFile: file, atomically: true, encoding: .utf8)
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

    /// A published run whose manifest cannot be read is not "no previous run": comparing with nothing would let
    /// a delivery that lost most of its rows through, so `min_rows_vs_previous` fails and names the file.
    @Test(arguments: ["truncated", "missing"])
    func unreadablePreviousManifestFailsTheRowCountGate(_ damage: String) throws {
        let p = try pipeline("gates:\n  min_rows_vs_previous: 0.9")
        let out = TestPaths.temporaryDirectory("ops-runs")
        _ = try Runner.run(options(p, out: out))
        try damageManifest(out + "/2024-12-31/manifest.json", damage)
        do {
            _ = try Runner.run(options(p, out: out, asOf: "2025-01-31"))
            Issue.record("the gate should have failed")
        } catch let e as GateFailedError {
            #expect(e.failures.map(\.gate) == ["min_rows_vs_previous"])
            #expect(e.failures.map(\.source) == ["all sources"])
            #expect(e.description.contains("\(out)/current/manifest.json could not be read"))
            #expect(e.description.contains(damage == "truncated" ? "The given data was not valid JSON" : "no manifest"))
        }
        // Nothing published: the damaged run stays current, tonight's rejects wait in .failed-<as-of>.
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/current") == "2024-12-31")
        #expect(!FileManager.default.fileExists(atPath: out + "/2025-01-31"))
        #expect(FileManager.default.fileExists(atPath: out + "/.failed-2025-01-31/rejects"))
        #expect(TestPaths.read(out + "/metrics.prom").contains("digitag_gate_passed{gate=\"min_rows_vs_previous\",source=\"all sources\"} 0"))
    }

    /// What the operator sees: the gate's exit code, and the file to look at.
    @Test func unreadablePreviousManifestExitsWithTheGateCode() throws {
        let p = try pipeline("gates:\n  min_rows_vs_previous: 0.9")
        let out = TestPaths.temporaryDirectory("ops-runs")
        _ = try Runner.run(options(p, out: out))
        try damageManifest(out + "/2024-12-31/manifest.json", "truncated")
        let r = try ProcessRunner.run(
            ProcessRunner.digitag,
            ["run", "--pipeline", p, "--input", TestPaths.repo("SampleData"), "--as-of", "2025-01-31", "--out", out, "--threads", "2"])
        #expect(r.status == 4, "\(r.stderr)")
        #expect(r.stderr.contains("min_rows_vs_previous [all sources]"))
        #expect(r.stderr.contains("\(out)/current/manifest.json could not be read"))
    }

    /// The first run has nothing to compare with: the gate passes, and the log says so.
    @Test func firstRunPassesTheRowCountGateAndSaysSo() throws {
        let p = try pipeline("gates:\n  min_rows_vs_previous: 0.9")
        let out = TestPaths.temporaryDirectory("ops-runs")
        let log = LogLines()
        let summary = try Runner.run(options(p, out: out), reporter: RunReporter(log: { log.append($0) }))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/current") == "2024-12-31")
        #expect(summary.manifest.gates?.contains { $0.gate == "min_rows_vs_previous" } == false)
        #expect(log.lines.contains { $0.contains("min_rows_vs_previous") && $0.contains("nothing to compare with (first run)") })
    }

    func damageManifest(_ path: String, _ damage: String) throws {
        if damage == "missing" {
            try FileManager.default.removeItem(atPath: path)
        } else {
            let text = TestPaths.read(path)
            try String(text.prefix(text.count / 2)).write(toFile: path, atomically: true, encoding: .utf8)
        }
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

/// The lines a run logged. `@unchecked Sendable` is safe: `stored` is only touched while holding `lock`.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    func append(_ line: String) { lock.withLock { stored.append(line) } }
    var lines: [String] { lock.withLock { stored } }
}
