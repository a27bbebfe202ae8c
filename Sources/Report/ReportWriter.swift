import DigiTagBase
import Foundation
import Model
import RunModel

/// Writes a run's `changes.json`, `backtest.json` and `report.html` into its staging folder, just before it is
/// published.
///
/// Called once the manifest is written and while `<out>/current` still points to the previous run,
/// so "the last run" is the run operators saw until tonight. A previous run that cannot be compared
/// (deleted or damaged underneath us) does not stop tonight's run: the summary says why, the page shows
/// it in amber, and the log has a warning.
public enum ReportWriter {
    public static let changesFile = "changes.json"
    public static let reportFile = "report.html"

    /// - Parameters:
    ///   - directory: the run's folder (staging); its manifest and profile store are complete.
    ///   - name: the run's name once published (its as-of date).
    ///   - previous: `<out>/current`, which may not exist (first run).
    /// - Returns: the change summary that was written.
    @discardableResult
    public static func write(
        directory: String, name: String, previous: String, manifest: Manifest, definition: PipelineDefinition,
        coverageThreshold: Double = 0.02, reporter: RunReporter = .silent
    ) throws -> ChangeSummary {
        let started = Date()
        let changes = summary(
            previous: previous, current: directory, name: name, definition: definition, coverageThreshold: coverageThreshold, reporter: reporter)
        try FileSystem.writeAtomically(try changes.encoded(), to: FileSystem.join(directory, changesFile))
        var report = try RunReport.gather(directory: directory, run: name, manifest: manifest, changes: changes, definition: definition)
        // The back-test: the runs already published beside `current`, against the inspections in this run's input;
        // kept as backtest.json for the web dashboard.
        let backTest = PublishedBackTest.make(runsRoot: FileSystem.directoryOf(previous), before: name, input: manifest.input)
        try FileSystem.writeAtomically(Data(try backTest.json().utf8), to: FileSystem.join(directory, PublishedBackTest.file))
        report.backTest = backTest
        try FileSystem.writeAtomically(Data(ReportPage(report: report).html().utf8), to: FileSystem.join(directory, reportFile))
        reporter.info("report: \((Date().timeIntervalSince(started) * 1000).rounded() / 1000) s")
        return changes
    }

    /// Writes the red `report.html` of a run a gate refused into `directory` (`.failed-<as-of>`).
    public static func writeFailed(directory: String, name: String, manifest: Manifest, definition: PipelineDefinition) throws {
        let report = RunReport.failed(run: name, manifest: manifest, definition: definition)
        try FileSystem.writeAtomically(Data(ReportPage(report: report).html().utf8), to: FileSystem.join(directory, reportFile))
    }

    /// The change since the run `previous` points to, or why there is none.
    static func summary(
        previous: String, current: String, name: String, definition: PipelineDefinition, coverageThreshold: Double, reporter: RunReporter
    ) -> ChangeSummary {
        // `current` is a symbolic link to the run's folder name; a missing link means nothing was published yet.
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: previous) else {
            return .firstRun(to: name, coverageThreshold: coverageThreshold)
        }
        let previousName = (target as NSString).lastPathComponent
        do {
            let diff = try RunDiff.compare(
                previous, current, catalog: definition.catalog, classOrder: definition.risk.classes.map(\.code),
                coverageThreshold: coverageThreshold)
            return ChangeSummary(diff, from: previousName, to: name, coverageThreshold: coverageThreshold)
        } catch {
            reporter.warning("changes since the last run: could not compare with \(previousName): \(error)")
            return .unavailable(from: previousName, to: name, reason: "\(error)", coverageThreshold: coverageThreshold)
        }
    }
}
