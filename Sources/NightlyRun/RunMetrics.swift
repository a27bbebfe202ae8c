import DigiTagBase
import Engine
import Foundation
import RunModel

/// `<out>/metrics.prom`: the last run's outcome for Prometheus' node-exporter textfile collector.
///
/// Written atomically (temporary file, then rename) so the collector never reads half a file, after every
/// run that gets as far as ending: published (exit 0) or failed with any of the documented codes
/// (`RunMetrics+Failure.swift`). The time of the last success is carried over from the previous file when a
/// run fails, so an alert on its age works.
public enum RunMetrics {
    public static func write(
        to root: String, exitStatus: ExitStatus, asOf: String, started: Date, stats: [SourceStats], classCounts: [String: Int],
        gates: [QualityGates.Result], duplicates: [String: DuplicateRecordsReport] = [:], now: Date = Date()
    ) throws {
        let path = FileSystem.join(root, "metrics.prom")
        var lastSuccess = previousValue(path, metric: "digitag_last_success_timestamp_seconds")
        if exitStatus == .success { lastSuccess = now.timeIntervalSince1970.rounded() }
        var lines: [String] = []
        func metric(_ name: String, _ help: String, _ type: String, _ samples: [(labels: String, value: Double)]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for s in samples { lines.append("\(name)\(s.labels.isEmpty ? "" : "{\(s.labels)}") \(ValueFormat.number(s.value))") }
        }
        metric("digitag_run_success", "1 if the last run was published, 0 if it failed.", "gauge", [("", exitStatus == .success ? 1 : 0)])
        metric(
            "digitag_run_exit_code", "Exit code of the last run: 0 published, 1 internal, 2 configuration, 3 bad input, 4 gate, 8 environment.",
            "gauge", [("", Double(exitStatus.rawValue))])
        metric("digitag_run_duration_seconds", "Wall-clock duration of the last run.", "gauge", [("", now.timeIntervalSince(started))])
        if let lastSuccess {
            metric("digitag_last_success_timestamp_seconds", "When a run was last published (Unix time).", "gauge", [("", lastSuccess)])
        }
        let asOfSeconds = Day(iso: asOf).map { Double($0.value) * 86400 } ?? 0
        metric("digitag_run_as_of_timestamp_seconds", "The as-of date of the last run (Unix time, midnight UTC).", "gauge", [("", asOfSeconds)])
        metric(
            "digitag_rows", "Rows of the last run by source and outcome.", "gauge",
            stats.flatMap { s in
                [
                    ("source=\"\(s.source)\",outcome=\"accepted\"", Double(s.rowsAccepted)),
                    ("source=\"\(s.source)\",outcome=\"rejected\"", Double(s.rowsRejected)),
                    ("source=\"\(s.source)\",outcome=\"after_as_of\"", Double(s.rowsAfterAsOf)),
                ]
            })
        if !classCounts.isEmpty {
            metric(
                "digitag_enterprises", "Enterprises per risk class in the last published run.", "gauge",
                classCounts.keys.sorted().map { ("class=\"\($0)\"", Double(classCounts[$0]!)) })
        }
        if !duplicates.isEmpty {
            metric(
                "digitag_duplicate_records", "Records left out of the last published run as repeats of an earlier record's natural key.",
                "gauge", duplicates.keys.sorted().map { ("source=\"\($0)\"", Double(duplicates[$0]!.count)) })
        }
        if !gates.isEmpty {
            metric(
                "digitag_gate_passed", "1 if a data-quality gate passed in the last run.", "gauge",
                gates.map { ("gate=\"\($0.gate)\",source=\"\($0.source)\"", $0.passed ? 1 : 0) })
        }
        let accepted = gates.filter { $0.accepted != nil }
        if !accepted.isEmpty {
            metric(
                "digitag_gate_accepted", "1 for a gate that failed and was accepted on the record (--accept-gate) in the last run.", "gauge",
                accepted.map { ("gate=\"\($0.gate)\",source=\"\($0.source)\"", 1) })
        }
        try FileSystem.writeAtomically(Data((lines.joined(separator: "\n") + "\n").utf8), to: path)
    }

    static func previousValue(_ path: String, metric: String) -> Double? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(metric + " ") {
            return Double(line.dropFirst(metric.count + 1))
        }
        return nil
    }
}
