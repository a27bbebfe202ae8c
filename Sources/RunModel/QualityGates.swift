import DigiTagBase
import Engine
import Foundation

/// Data-quality gates from the pipeline file: conditions a night's delivery must meet to be published.
///
/// ```yaml
/// gates:
///   max_reject_rate: 0.05            # per source; a map {default: 0.05, tax_filings: 0.01} also works
///   min_rows_vs_previous: 0.9        # each source's rows read ≥ 90% of the previous published run's
///   min_enterprises_vs_previous: 0.9 # enterprises ≥ 90% of the previous published run's
///   schema_drift: fail               # columns the schema does not know: warn (default) or fail
/// ```
///
/// A column the schema requires and a file lacks is not drift: the file cannot be read, and the run stops
/// with bad input (exit 3) before any gate. `EnterpriseFloor` applies whatever this block says.
public struct QualityGates: Sendable, Equatable {
    public var maxRejectRate: [String: Double] = [:]
    public var defaultMaxRejectRate: Double?
    public var minRowsVsPrevious: Double?
    public var minEnterprisesVsPrevious: Double?
    public var failOnSchemaDrift = false

    /// Every gate name a result can carry (what `--accept-gate` may name).
    public static let names = [
        "max_reject_rate", "min_rows_vs_previous", "min_enterprises_vs_previous", "schema_drift", EnterpriseFloor.gate,
    ]

    public init() {}

    static func read(_ node: YAMLNode?, sources: [String]) -> (QualityGates, [Diagnostic]) {
        var gates = QualityGates()
        guard let node else { return (gates, []) }
        var r = YAMLFieldReader(node, what: "gates")
        if let rate = r.node("max_reject_rate") {
            if let d = rate.scalarText.flatMap(Double.init) {
                gates.defaultMaxRejectRate = d
            } else {
                for (key, loc, value) in rate.pairs {
                    guard let d = value.scalarText.flatMap(Double.init), d >= 0, d <= 1 else {
                        r.report(Diagnostic(value.location, "a reject rate is a share from 0 to 1 (0.05 = 5%)"))
                        continue
                    }
                    if key == "default" {
                        gates.defaultMaxRejectRate = d
                    } else if sources.contains(key) {
                        gates.maxRejectRate[key] = d
                    } else {
                        r.report(
                            Diagnostic(
                                loc, "unknown source '\(key)' in max_reject_rate",
                                hint: closestMatch(to: key, in: sources).map { "did you mean '\($0)'?" }))
                    }
                }
            }
        }
        gates.minRowsVsPrevious = r.double("min_rows_vs_previous")
        gates.minEnterprisesVsPrevious = r.double("min_enterprises_vs_previous")
        for key in ["min_rows_vs_previous", "min_enterprises_vs_previous"] {
            if let share = node[key]?.scalarText.flatMap(Double.init), !(share > 0 && share <= 1) {
                r.report(Diagnostic(node[key]!.location, "\(key) is a share of the previous run's count, above 0 and at most 1 (0.9 = 90%)"))
            }
        }
        if let drift = r.string("schema_drift") {
            switch drift {
            case "fail": gates.failOnSchemaDrift = true
            case "warn": gates.failOnSchemaDrift = false
            default: r.report(Diagnostic(node["schema_drift"]!.location, "schema_drift is 'warn' or 'fail'"))
            }
        }
        return (gates, r.finish())
    }

    /// One gate's outcome, for the log, the metrics and the error.
    public struct Result: Sendable, Codable, Equatable {
        public var gate: String
        /// The source checked, or "all sources" for a gate over the whole run.
        public var source: String
        public var passed: Bool
        public var detail: String
        /// What was measured (a reject rate as a share, a count of rows or enterprises), so a failure says by how much.
        public var value: Double?
        /// The bound `value` was held to: the highest rate allowed, or the lowest count.
        public var limit: Double?
        /// Set when the gate failed and an operator accepted the failure on the record (`--accept-gate`).
        public var accepted: GateAcceptance.Record?

        public init(
            gate: String, source: String, passed: Bool, detail: String, value: Double? = nil, limit: Double? = nil,
            accepted: GateAcceptance.Record? = nil
        ) {
            self.gate = gate
            self.source = source
            self.passed = passed
            self.detail = detail
            self.value = value
            self.limit = limit
            self.accepted = accepted
        }

        /// Failed and not accepted: this stops the run.
        public var refuses: Bool { !passed && accepted == nil }
    }

    /// Checks a run's ledgers against the gates (and the previous published run's, if any).
    public func check(_ stats: [SourceStats], previous: Manifest?) -> [Result] {
        check(stats, previous: previous.map { .published($0) } ?? .nothingPublished)
    }

    /// Checks a run's ledgers against the gates and, for the `…_vs_previous` gates, the run published before.
    ///
    /// A published run whose manifest cannot be read fails each configured `…_vs_previous` gate (once, for
    /// all sources, naming the file): passing it would compare tonight's delivery with nothing. Nothing
    /// published yet (the first run) leaves nothing to compare with, and those gates have no result.
    /// - Parameter enterprises: tonight's enterprise count, for `min_enterprises_vs_previous`; nil skips it.
    public func check(_ stats: [SourceStats], enterprises: Int? = nil, previous: PreviousRun) -> [Result] {
        var out: [Result] = []
        if case .unreadable(let path, let reason) = previous {
            for (gate, share) in [("min_rows_vs_previous", minRowsVsPrevious), ("min_enterprises_vs_previous", minEnterprisesVsPrevious)]
            where share != nil && (gate == "min_rows_vs_previous" || enterprises != nil) {
                out.append(
                    Result(
                        gate: gate, source: "all sources", passed: false,
                        detail: "cannot compare with the previous published run: \(path) could not be read (\(reason)); "
                            + "restore that run's manifest (see 'digitag runs'), then run again"))
            }
        }
        let previous: Manifest? = if case .published(let m) = previous { m } else { nil }
        for s in stats {
            if let limit = maxRejectRate[s.source] ?? defaultMaxRejectRate {
                let rate = s.rowsRead == 0 ? 0 : Double(s.rowsRejected) / Double(s.rowsRead)
                out.append(
                    Result(
                        gate: "max_reject_rate", source: s.source, passed: rate <= limit,
                        detail: String(format: "%d of %d rows rejected (%.2f%%; limit %.2f%%)", s.rowsRejected, s.rowsRead, rate * 100, limit * 100),
                        value: rate, limit: limit))
            }
            if let share = minRowsVsPrevious, let before = previous?.sources.first(where: { $0.source == s.source }) {
                let floor = Self.required(share, of: before.rowsRead)
                out.append(
                    Result(
                        gate: "min_rows_vs_previous", source: s.source, passed: s.rowsRead >= floor,
                        detail: "\(s.rowsRead) rows read, previous run \(before.rowsRead) (at least \(Self.percent(share)) = \(floor) required)",
                        value: Double(s.rowsRead), limit: Double(floor)))
            }
            let drift = s.files.flatMap(\.extraColumns)
            if !drift.isEmpty {
                out.append(
                    Result(
                        gate: "schema_drift", source: s.source, passed: !failOnSchemaDrift,
                        detail: "columns not in the schema: " + Array(Set(drift)).sorted().joined(separator: ", "),
                        value: Double(Set(drift).count), limit: failOnSchemaDrift ? 0 : nil))
            }
        }
        if let share = minEnterprisesVsPrevious, let enterprises, let before = previous?.enterprises {
            let floor = Self.required(share, of: before)
            out.append(
                Result(
                    gate: "min_enterprises_vs_previous", source: "all sources", passed: enterprises >= floor,
                    detail: "\(enterprises) enterprises, previous run \(before) (at least \(Self.percent(share)) = \(floor) required)",
                    value: Double(enterprises), limit: Double(floor)))
        }
        return out
    }

    /// The smallest whole count that is at least `share` of `count`: 90% of 747 is 672.3, so 673 rows are
    /// required. The product is rounded to a millionth first, so that 90% of 2010 is 1809, not 1810 because
    /// 0.9 is not exact in binary.
    static func required(_ share: Double, of count: Int) -> Int {
        Int(((Double(count) * share * 1e6).rounded() / 1e6).rounded(.up))
    }

    /// A share as the percentage people write: 0.9 → "90%", 0.955 → "95.5%".
    static func percent(_ share: Double) -> String {
        let p = (share * 1000).rounded() / 10
        return p == p.rounded() ? "\(Int(p))%" : "\(p)%"
    }
}

/// A failed gate: the run is not published.
public struct GateFailedError: DigitagError, Sendable {
    /// The gates that failed and were not accepted.
    public var failures: [QualityGates.Result]
    /// Every gate checked (for the metrics), and the ledgers they were checked against.
    public var results: [QualityGates.Result]
    public var stats: [SourceStats]
    /// Where the failed run's evidence was kept (`<out>/.failed-<as-of>`), when it could be.
    public var evidence: String?
    public var exitStatus: ExitStatus { .gateFailed }
    public var description: String {
        "data-quality gate failed, nothing published:\n"
            + failures.map { "  \($0.gate) [\($0.source)]: \($0.detail)" }.joined(separator: "\n")
    }

    public var report: [String] {
        var lines = ["digitag: \(description)"]
        if let evidence { lines.append("digitag: what was read and why it failed: \(evidence)/report.html and manifest.json") }
        // One option per gate when it failed for several sources, else the gate with its source.
        var names: [String] = []
        for f in failures where !names.contains(f.gate) {
            let sources = failures.filter { $0.gate == f.gate }.map(\.source)
            names.append(sources.count > 1 || f.source == "all sources" ? f.gate : "\(f.gate):\(f.source)")
        }
        lines.append(
            "digitag: if the delivery is right after all, run again with "
                + names.map { "--accept-gate \($0)" }.joined(separator: " ") + " --reason TEXT (recorded in the run)")
        return lines
    }

    package init(failures: [QualityGates.Result], results: [QualityGates.Result] = [], stats: [SourceStats] = [], evidence: String? = nil) {
        self.failures = failures
        self.results = results.isEmpty ? failures : results
        self.stats = stats
        self.evidence = evidence
    }
}
