import DigiTagBase
import Engine
import Foundation

/// Data-quality gates from the pipeline file: conditions a night's delivery must meet to be published.
///
/// ```yaml
/// gates:
///   max_reject_rate: 0.05            # per source; a map {default: 0.05, tax_filings: 0.01} also works
///   min_rows_vs_previous: 0.9        # each source's rows read ≥ 90% of the previous published run's
///   schema_drift: fail               # new or missing columns: warn (default) or fail
/// ```
public struct QualityGates: Sendable, Equatable {
    public var maxRejectRate: [String: Double] = [:]
    public var defaultMaxRejectRate: Double?
    public var minRowsVsPrevious: Double?
    public var failOnSchemaDrift = false

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
        public var source: String
        public var passed: Bool
        public var detail: String
    }

    /// Checks a run's ledgers against the gates (and the previous published run's, if any).
    public func check(_ stats: [SourceStats], previous: Manifest?) -> [Result] {
        check(stats, previous: previous.map { .published($0) } ?? .nothingPublished)
    }

    /// Checks a run's ledgers against the gates and, for `min_rows_vs_previous`, the run published before.
    ///
    /// A published run whose manifest cannot be read fails `min_rows_vs_previous` (once, for all sources,
    /// naming the file): passing it would compare tonight's delivery with nothing. Nothing published yet
    /// (the first run) leaves nothing to compare with, and the gate has no result.
    public func check(_ stats: [SourceStats], previous: PreviousRun) -> [Result] {
        var out: [Result] = []
        if minRowsVsPrevious != nil, case .unreadable(let path, let reason) = previous {
            out.append(
                Result(
                    gate: "min_rows_vs_previous", source: "all sources", passed: false,
                    detail: "cannot compare with the previous published run: \(path) could not be read (\(reason)); "
                        + "restore that run's manifest (see 'digitag runs'), then run again"))
        }
        let previous: Manifest? = if case .published(let m) = previous { m } else { nil }
        for s in stats {
            if let limit = maxRejectRate[s.source] ?? defaultMaxRejectRate {
                let rate = s.rowsRead == 0 ? 0 : Double(s.rowsRejected) / Double(s.rowsRead)
                out.append(
                    Result(
                        gate: "max_reject_rate", source: s.source, passed: rate <= limit,
                        detail: String(format: "%d of %d rows rejected (%.2f%%; limit %.2f%%)", s.rowsRejected, s.rowsRead, rate * 100, limit * 100)))
            }
            if let share = minRowsVsPrevious, let before = previous?.sources.first(where: { $0.source == s.source }) {
                let floor = Double(before.rowsRead) * share
                out.append(
                    Result(
                        gate: "min_rows_vs_previous", source: s.source, passed: Double(s.rowsRead) >= floor,
                        detail: String(
                            format: "%d rows read, previous run %d (at least %.0f%% = %.0f required)", s.rowsRead, before.rowsRead,
                            share * 100, floor)))
            }
            let drift = s.files.flatMap(\.extraColumns)
            if !drift.isEmpty {
                out.append(
                    Result(
                        gate: "schema_drift", source: s.source, passed: !failOnSchemaDrift,
                        detail: "columns not in the schema: " + Array(Set(drift)).sorted().joined(separator: ", ")))
            }
        }
        return out
    }
}

/// A failed gate: the run is not published.
public struct GateFailedError: DigitagError, Sendable {
    public var failures: [QualityGates.Result]
    public var exitStatus: ExitStatus { .gateFailed }
    public var description: String {
        "data-quality gate failed, nothing published:\n"
            + failures.map { "  \($0.gate) [\($0.source)]: \($0.detail)" }.joined(separator: "\n")
    }

    package init(failures: [QualityGates.Result]) {
        self.failures = failures
    }
}
