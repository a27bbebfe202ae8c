import DigiTagBase
import Engine
import Foundation
import Report
import RunModel

/// What a run refused by a gate leaves for the operator: `<out>/.failed-<as-of>/`, its rejects, a
/// `manifest.json` with every gate (which failed, the value measured and the bound) and a red `report.html`
/// saying which gate failed and by how much. Nothing in it looks published: it is a hidden folder, `current`
/// never points to it, and its manifest has no `published_at`. A later successful run of the same as-of date
/// removes it (`clear`), so what is left always belongs to the last failure of that night.
enum FailedRun {
    static func folder(root: String, name: String) -> String { FileSystem.join(root, ".failed-\(name)") }

    /// Turns the staging folder into `.failed-<as-of>` and writes the evidence into it.
    /// - Returns: the folder, or nil when even that could not be written (the run fails with its gate anyway).
    static func keep(
        _ options: RunOptions, definition: PipelineDefinition, ingest: IngestResult, staging: Runner.Staging, results: [QualityGates.Result],
        clock: StageClock, reporter: RunReporter
    ) -> String? {
        RunCheckpoint.removeWork(staging: staging.path)
        let kept = folder(root: options.output, name: staging.name)
        try? FileManager.default.removeItem(atPath: kept)
        do {
            try FileManager.default.moveItem(atPath: staging.path, toPath: kept)
            var manifest = Manifest(
                pipeline: definition.name, pipelineHash: definition.hash, asOf: staging.name, input: options.input,
                enterprises: ingest.index.count, enterprisesAfterAsOf: ingest.stats[ingest.entitySource].rowsAfterAsOf,
                tags: definition.catalog.tags.count, riskModel: "\(definition.risk.name) v\(definition.risk.version)", classCounts: [:],
                sources: ingest.stats, outputs: ["rejects/"], threads: options.threads, shards: ingest.plan.count, timings: clock.timings,
                gates: results)
            manifest.stages = clock.stages
            manifest.spillBytes = ingest.spill.bytesOnDisk
            manifest.resumed = ingest.reusedCheckpoint
            try FileSystem.writeAtomically(try manifest.encoded(), to: FileSystem.join(kept, "manifest.json"))
            try ReportWriter.writeFailed(directory: kept, name: staging.name, manifest: manifest, definition: definition)
            return kept
        } catch {
            reporter.warning("the failed run's evidence could not be kept in \(kept): \(error)")
            return FileSystem.exists(kept) ? kept : nil
        }
    }

    /// Removes the evidence of an earlier failure of the night `name`, once that night is published.
    static func clear(root: String, name: String) {
        try? FileManager.default.removeItem(atPath: folder(root: root, name: name))
    }
}
