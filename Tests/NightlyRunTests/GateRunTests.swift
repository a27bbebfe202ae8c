import DigiTagBase
import Foundation
@testable import NightlyRun
import RunModel
import TestSupport
import Testing

/// Gates in real runs: the shipped defaults pass SampleData twice and refuse a near-empty or garbled
/// delivery; the built-in floor holds without any gate; an operator's acceptance publishes on the record;
/// a refused run leaves its evidence; the metrics record every failure.
@Suite(.serialized) struct GateRunTests {
    static let shipped = TestPaths.repo("Pipelines/shandong.yaml")

    /// SampleData published as of 2024-12-31 with the shipped pipeline, once; tests copy it.
    static let base: String = {
        let out = TestPaths.temporaryDirectory("gate-base")
        _ = try! Runner.run(options(shipped, out: out))
        return out
    }()

    static func options(_ pipeline: String, out: String, asOf: String = "2024-12-31", input: String = TestPaths.repo("SampleData")) -> RunOptions {
        RunOptions(pipeline: pipeline, input: input, asOf: Day(iso: asOf)!, output: out, threads: 2)
    }

    /// A copy of `base`: one published run (2024-12-31, current) and its metrics.
    static func copyOfBase() throws -> String {
        let out = TestPaths.temporaryDirectory("gate-runs") + "/runs"
        try FileManager.default.copyItem(atPath: base, toPath: out)
        return out
    }

    /// SampleData with `change` applied to the lines of some of its files (header first).
    static func delivery(_ changes: [String: ([String]) -> [String]]) throws -> String {
        let input = TestPaths.temporaryDirectory("gate-input")
        try FileManager.default.removeItem(atPath: input)
        try FileManager.default.copyItem(atPath: TestPaths.repo("SampleData"), toPath: input)
        for (file, change) in changes {
            let lines = TestPaths.read(input + "/" + file).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            try change(lines).joined(separator: "\n").write(toFile: input + "/" + file, atomically: true, encoding: .utf8)
        }
        return input
    }

    /// Registration cut to the first `rows` rows of enterprises.csv; the hand-made file (CRLF and LF lines
    /// mixed) keeps only the header.
    static func register(keeping rows: Int) -> [String: ([String]) -> [String]] {
        let header = "uscc,name,entity_type,legal_rep,legal_rep_id,registered_capital,established_on,industry,region,address,status,status_on"
        return ["market/enterprises.csv": { Array($0.prefix(1 + rows)) + [""] }, "market/enterprises-handmade.csv": { _ in [header, ""] }]
    }

    /// The enterprises a run as of `asOf` counts among the first `rows` rows of SampleData's enterprises.csv:
    /// those established on or before that day (the 7th column; the generated file has no quoted commas).
    static func enterprises(inFirst rows: Int, asOf: String) -> Int {
        let lines = TestPaths.read(TestPaths.repo("SampleData/market/enterprises.csv")).split(separator: "\n").dropFirst().prefix(rows)
        return lines.filter { $0.split(separator: ",", omittingEmptySubsequences: false)[6] <= asOf }.count
    }

    func refusal(_ body: () throws -> Void) throws -> GateFailedError {
        do {
            try body()
        } catch let e as GateFailedError {
            return e
        }
        Issue.record("the run should have been refused by a gate")
        throw CancellationError()
    }

    func current(_ out: String) -> String? { try? FileManager.default.destinationOfSymbolicLink(atPath: out + "/current") }

    // MARK: the shipped gates

    @Test func sampleDataPassesTheShippedGatesTwice() throws {
        let out = try Self.copyOfBase()
        let before = Date()
        let summary = try Runner.run(Self.options(Self.shipped, out: out))
        let after = Date()
        let gates = try #require(summary.manifest.gates)
        #expect(gates.filter { !$0.passed }.isEmpty, "\(gates.filter { !$0.passed })")
        // Every configured kind was checked against the first run: 15 sources' reject rates and row counts, the
        // enterprises (95% of 1991 = 1891.45, so 1892 required) and the floor (50% of 1991 = 995.5, so 996).
        #expect(gates.filter { $0.gate == "max_reject_rate" }.count == 15)
        #expect(gates.filter { $0.gate == "min_rows_vs_previous" }.count == 15)
        let enterprises = try #require(gates.first { $0.gate == "min_enterprises_vs_previous" })
        #expect(enterprises.value == 1991 && enterprises.limit == 1892)
        let floor = try #require(gates.first { $0.gate == "enterprise_floor" })
        #expect(floor.value == 1991 && floor.limit == 996)
        // registration: 7 of 2010 rows rejected by the hand-made rows, under 5%.
        let registration = try #require(gates.first { $0.gate == "max_reject_rate" && $0.source == "registration" })
        #expect(registration.value == 7.0 / 2010.0 && registration.limit == 0.05)
        // published_at: when the run was published, in UTC with milliseconds.
        let published = try #require(summary.manifest.publishedAt)
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let at = try #require(f.date(from: published))
        #expect(published.hasSuffix("Z"))
        #expect(at >= before.addingTimeInterval(-0.001) && at <= after)
        #expect(try Manifest.read(out + "/current/manifest.json").publishedAt == published)
    }

    @Test func aNearEmptyDeliveryIsRefusedAndLeavesItsEvidenceUntilTheNightIsPublished() throws {
        let out = try Self.copyOfBase()
        let input = try Self.delivery(Self.register(keeping: 300))
        let expected = Self.enterprises(inFirst: 300, asOf: "2025-01-31")
        #expect(expected == 299)  // one of the 300 is established later
        let e = try refusal { _ = try Runner.run(Self.options(Self.shipped, out: out, asOf: "2025-01-31", input: input)) }
        let refused = Set(e.failures.map(\.gate))
        #expect(refused.isSuperset(of: ["min_enterprises_vs_previous", "enterprise_floor", "min_rows_vs_previous"]), "\(refused)")
        #expect(e.failures.contains { $0.gate == "min_rows_vs_previous" && $0.source == "registration" && $0.value == 300 && $0.limit == 1809 })
        // Nothing published; the previous run stays current.
        #expect(current(out) == "2024-12-31")
        #expect(!FileManager.default.fileExists(atPath: out + "/2025-01-31"))

        // The evidence: a manifest with every gate (which failed, the value and the bound) and a red report.
        let failed = out + "/.failed-2025-01-31"
        #expect(e.evidence == failed)
        let manifest = try Manifest.read(failed + "/manifest.json")
        #expect(manifest.publishedAt == nil)
        #expect(manifest.enterprises == expected)
        let floor = try #require(manifest.refusedGates.first { $0.gate == "enterprise_floor" })
        #expect(floor.value == Double(expected) && floor.limit == 996)
        #expect(manifest.gates?.contains { $0.passed } == true, "passed gates are listed too")
        let report = TestPaths.read(failed + "/report.html")
        #expect(report.contains("<div class=\"status fail\" id=\"status\">"))
        #expect(report.contains("✗ Not published 2025-01-31"))
        #expect(report.contains("enterprise_floor [all sources]: \(expected) enterprises, previous run 2024-12-31 had 1991 (built-in floor: at least 50% = 996 required)"))
        #expect(!report.contains("id=\"class-counts\""), "a refused run has no classes to show")
        #expect(FileManager.default.fileExists(atPath: failed + "/rejects"))

        // The metrics say which gate failed, with the exit code.
        let metrics = TestPaths.read(out + "/metrics.prom")
        #expect(metrics.contains("digitag_run_success 0\n"))
        #expect(metrics.contains("digitag_run_exit_code 4\n"))
        #expect(metrics.contains("digitag_gate_passed{gate=\"enterprise_floor\",source=\"all sources\"} 0\n"))

        // The complete delivery of that night, sent again, is published and the evidence goes.
        _ = try Runner.run(Self.options(Self.shipped, out: out, asOf: "2025-01-31"))
        #expect(current(out) == "2025-01-31")
        #expect(!FileManager.default.fileExists(atPath: failed))
        #expect(TestPaths.read(out + "/metrics.prom").contains("digitag_run_exit_code 0\n"))
    }

    @Test func aGarbledDeliveryIsRefusedOnTheFirstRun() throws {
        let out = TestPaths.temporaryDirectory("gate-first")
        // complaints gains a column the schema does not know; every date of penalties.csv is written 2024/05/01.
        let input = try Self.delivery([
            "market/complaints.csv": { lines in
                lines.enumerated().map { i, l in l.isEmpty ? l : l + (i == 0 ? ",channel_v2" : ",web") }
            },
            "market/penalties.csv": { lines in [lines[0]] + lines.dropFirst().map { $0.replacingOccurrences(of: "-", with: "/") } },
        ])
        let e = try refusal { _ = try Runner.run(Self.options(Self.shipped, out: out, input: input)) }
        #expect(e.failures.contains { $0.gate == "schema_drift" && $0.source == "complaints" && $0.detail == "columns not in the schema: channel_v2" })
        // All 333 rows of penalties.csv are refused for their dates; with 8 of the 11 hand-made rows, 341 of 344.
        let penalties = try #require(e.failures.first { $0.gate == "max_reject_rate" && $0.source == "penalties" })
        #expect(penalties.value == 341.0 / 344.0, "\(penalties.detail)")
        #expect(!e.failures.contains { $0.gate == "enterprise_floor" })
        #expect(current(out) == nil)
    }

    // MARK: the built-in floor and acceptances

    @Test func theFloorRefusesLosingMostEnterprisesWithoutAnyGateUntilAcceptedOnTheRecord() throws {
        let noGates = try PipelineCopy.make(gates: nil)
        #expect(try PipelineDefinition.load(noGates).gates == QualityGates())
        let out = try Self.copyOfBase()
        let input = try Self.delivery(Self.register(keeping: 700))
        let expected = Self.enterprises(inFirst: 700, asOf: "2025-01-31")
        let e = try refusal { _ = try Runner.run(Self.options(noGates, out: out, asOf: "2025-01-31", input: input)) }
        #expect(e.failures.map(\.gate) == ["enterprise_floor"])
        #expect(e.failures[0].value == Double(expected) && e.failures[0].limit == 996)
        #expect(current(out) == "2024-12-31")
        #expect(FileManager.default.fileExists(atPath: out + "/.failed-2025-01-31/report.html"))

        // The operator checked: the register really was split. Accepted, the run is published with the record.
        var options = Self.options(noGates, out: out, asOf: "2025-01-31", input: input)
        options.acceptGates = [GateAcceptance(gate: "enterprise_floor", reason: "register split: Laiwu moved to Jinan", by: "ops-wang")]
        let summary = try Runner.run(options)
        #expect(current(out) == "2025-01-31")
        #expect(summary.manifest.enterprises == expected)
        let manifest = try Manifest.read(out + "/current/manifest.json")
        let accepted = try #require(manifest.gates?.first { $0.gate == "enterprise_floor" })
        #expect(!accepted.passed)
        #expect(accepted.accepted == GateAcceptance.Record(reason: "register split: Laiwu moved to Jinan", by: "ops-wang"))
        #expect(accepted.detail.hasPrefix("\(expected) enterprises, previous run 2024-12-31 had 1991"))
        let metrics = TestPaths.read(out + "/metrics.prom")
        #expect(metrics.contains("digitag_run_success 1\n"))
        #expect(metrics.contains("digitag_run_exit_code 0\n"))
        #expect(metrics.contains("digitag_gate_passed{gate=\"enterprise_floor\",source=\"all sources\"} 0\n"))
        #expect(metrics.contains("digitag_gate_accepted{gate=\"enterprise_floor\",source=\"all sources\"} 1\n"))
        let report = TestPaths.read(out + "/current/report.html")
        #expect(report.contains("<div class=\"status warn\" id=\"status\">"))
        #expect(report.contains("0 of 1 data-quality gates passed, 1 failed and accepted on the record"))
        #expect(report.contains("Gate accepted on the record: enterprise_floor [all sources] failed: \(expected) enterprises"))
        #expect(report.contains("accepted by ops-wang: register split: Laiwu moved to Jinan"))
        #expect(!FileManager.default.fileExists(atPath: out + "/.failed-2025-01-31"))
    }

    @Test func zeroEnterprisesAreRefusedEvenOnTheFirstRun() throws {
        let out = TestPaths.temporaryDirectory("gate-zero")
        let input = try Self.delivery(Self.register(keeping: 0))
        // Two header-only files would be the same delivery twice (refused as bad input): the hand-made part goes.
        try FileManager.default.removeItem(atPath: input + "/market/enterprises-handmade.csv")
        let e = try refusal { _ = try Runner.run(Self.options(try PipelineCopy.make(gates: nil), out: out, input: input)) }
        #expect(e.failures.map(\.gate) == ["enterprise_floor"])
        #expect(e.failures[0].detail.hasPrefix("0 enterprises"))
        #expect(current(out) == nil)
    }

    @Test func acceptingOneSourceLeavesTheOthersRefusedAndAnUnfailedGateIsOnlyNoted() throws {
        let rowsOnly = try PipelineCopy.make(gates: "min_rows_vs_previous: 0.9")
        let out = try Self.copyOfBase()
        // penalties.csv and complaints.csv cut to their first 100 rows.
        let cut: ([String]) -> [String] = { Array($0.prefix(101)) + [""] }
        let input = try Self.delivery(["market/penalties.csv": cut, "market/complaints.csv": cut])
        var options = Self.options(rowsOnly, out: out, asOf: "2025-01-31", input: input)
        options.acceptGates = [
            GateAcceptance(gate: "min_rows_vs_previous", source: "penalties", reason: "penalties re-issued in February", by: "ops"),
            GateAcceptance(gate: "schema_drift", reason: "just in case", by: "ops"),
        ]
        let log = LogLines()
        let e = try refusal { _ = try Runner.run(options, reporter: RunReporter(log: { log.append($0) })) }
        #expect(e.failures.map(\.source) == ["complaints"])
        #expect(e.results.contains { $0.source == "penalties" && $0.accepted != nil })
        #expect(log.lines.contains("--accept-gate schema_drift: that gate did not fail tonight: nothing to accept"))
        #expect(current(out) == "2024-12-31")

        options.acceptGates = [GateAcceptance(gate: "min_rows_vs_previous", reason: "both re-issued", by: "ops")]
        let summary = try Runner.run(options)
        #expect(summary.manifest.acceptedGates.map(\.source) == ["penalties", "complaints"])
        let metrics = TestPaths.read(out + "/metrics.prom")
        #expect(metrics.contains("digitag_gate_accepted{gate=\"min_rows_vs_previous\",source=\"penalties\"} 1\n"))
        #expect(metrics.contains("digitag_gate_accepted{gate=\"min_rows_vs_previous\",source=\"complaints\"} 1\n"))
    }

    // MARK: metrics on every failure

    @Test func everyFailureKindIsInTheMetricsAndTheLastSuccessIsKept() throws {
        let out = try Self.copyOfBase()
        func metric(_ name: String) -> String? {
            TestPaths.read(out + "/metrics.prom").split(separator: "\n").first { $0.hasPrefix(name + " ") }.map { String($0.dropFirst(name.count + 1)) }
        }
        let lastSuccess = try #require(metric("digitag_last_success_timestamp_seconds"))
        #expect(metric("digitag_run_exit_code") == "0")

        // A configuration error (exit 2): a tag naming a field that does not exist.
        let broken = try PipelineCopy.make(gates: nil)
        TestPaths.write(
            "tags:\n  - {id: x.y, name_zh: 甲, name_en: X, type: numeric, dimension: basic, sensitivity: public, expr: \"sum(penalties.amout)\"}\n",
            to: (broken as NSString).deletingLastPathComponent + "/tags", "99-broken.yaml")
        #expect(throws: DiagnosticsError.self) { _ = try Runner.run(Self.options(broken, out: out, asOf: "2025-01-31")) }
        #expect(metric("digitag_run_success") == "0")
        #expect(metric("digitag_run_exit_code") == "2")
        #expect(metric("digitag_last_success_timestamp_seconds") == lastSuccess)
        #expect(metric("digitag_run_as_of_timestamp_seconds") == "1738281600")  // 2025-01-31T00:00:00Z

        // Bad input (exit 3): a source file missing.
        let input = try Self.delivery([:])
        try FileManager.default.removeItem(atPath: input + "/credit/repairs.csv")
        #expect(throws: (any Error).self) { _ = try Runner.run(Self.options(Self.shipped, out: out, asOf: "2025-01-31", input: input)) }
        #expect(metric("digitag_run_exit_code") == "3")
        #expect(metric("digitag_last_success_timestamp_seconds") == lastSuccess)

        // The environment (8) and a bug (1), as the command line classifies them.
        let options = Self.options(Self.shipped, out: out, asOf: "2025-01-31")
        RunMetrics.recordFailure(WriteError.fromErrno(out + "/.staging-2025-01-31/tags.csv", ENOSPC), options: options, started: Date())
        #expect(metric("digitag_run_exit_code") == "8")
        struct Bug: Error {}
        RunMetrics.recordFailure(Bug(), options: options, started: Date())
        #expect(metric("digitag_run_exit_code") == "1")
        #expect(metric("digitag_run_success") == "0")
        // Another run active (5): that run owns the file; nothing is written.
        RunMetrics.recordFailure(RunLockedError(directory: out, holder: "pid 1"), options: options, started: Date())
        #expect(metric("digitag_run_exit_code") == "1")
        #expect(metric("digitag_last_success_timestamp_seconds") == lastSuccess)
    }
}
