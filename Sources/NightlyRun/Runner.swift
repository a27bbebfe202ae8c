import Catalog
import DataContract
import DigiTagBase
import DigiTagIO
import Engine
import Foundation
import ProfileStore
import Report
import Risk
import RunModel

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the whole pipeline: ingest → shards → tags → risk → outputs → publish.
///
/// Shards are contiguous ranges of enterprises in USCC order, evaluated in parallel in waves of
/// `threads` and written in shard order, so outputs are the same bytes whatever the thread or shard count.
public enum Runner {
    public struct Summary: Sendable {
        public var runDirectory: String
        public var manifest: Manifest
    }

    /// One night, stage by stage. Everything is made in a staging folder; nothing is visible in
    /// `options.output` until `publish` switches `current` to it. `run` (Runner+Outcome.swift) calls this and
    /// records a failure in the metrics.
    static func runStages(_ options: RunOptions, reporter: RunReporter) throws -> Summary {
        var clock = StageClock(reporter: reporter)
        var definition = try PipelineDefinition.load(options.pipeline)
        try options.encodings.apply(to: &definition.sources)
        clock.lap("compile")

        try FileSystem.createDirectory(options.output)
        let lock = try RunLock(directory: options.output, description: "run as of \(options.asOf.description), input \(options.input)")
        defer { withExtendedLifetime(lock) {} }
        let staging = try Staging.prepare(options, definition: definition)
        let ingest = try ingest(options, definition: definition, staging: staging, reporter: reporter)
        clock.lap("ingest")
        TestHooks.stop(after: "ingest")
        logIngest(ingest, reporter: reporter)
        let gates = try checkGates(options, definition: definition, ingest: ingest, staging: staging, clock: clock, reporter: reporter)
        let (classCounts, found) = try derive(options, definition: definition, ingest: ingest, staging: staging, clock: &clock, reporter: reporter)
        clock.lap("derive")
        let duplicates = DuplicateRecordsReport.make(
            found, sources: definition.sources, layouts: ingest.spill.layouts, files: ingest.stats, vocabulary: definition.catalog.vocabulary)
        for (source, d) in duplicates.sorted(by: { $0.key < $1.key }) where d.count > 0 { reporter.warning(d.sentence(source: source)) }
        RunCheckpoint.removeWork(staging: staging.path)
        let manifest = try writeManifest(
            options, definition: definition, ingest: ingest, classCounts: classCounts, gates: gates, duplicates: duplicates, staging: staging,
            clock: &clock)
        // changes.json and report.html (ReportWriter.swift), while `current` still points to the previous run.
        try ReportWriter.write(
            directory: staging.path, name: staging.name, previous: FileSystem.join(options.output, "current"), manifest: manifest,
            definition: definition, reporter: reporter)
        try RunPipelineCopy.save(definition, into: staging.path)
        let runDirectory = try publish(options, staging: staging, manifest: manifest, ingest: ingest, gates: gates, started: clock.started)
        try applyRetention(options, definition: definition, published: staging.name, reporter: reporter)
        return Summary(runDirectory: runDirectory, manifest: manifest)
    }

    // MARK: staging

    /// The run's work folder, `<out>/.staging-<as-of>`, and what a resumed run may reuse from it.
    struct Staging {
        /// The run's name once published: its as-of date.
        var name: String
        var path: String
        var fingerprint: RunFingerprint
        /// The checkpoint of an interrupted run with the same inputs, whose ingest this run reuses.
        var resumable: RunCheckpoint?

        /// Clears what dead runs left. We hold the lock, so any staging folder belongs to a run that died: the
        /// one for this date is kept if its ingest checkpoint matches this run's inputs (resume); everything
        /// else goes.
        static func prepare(_ options: RunOptions, definition: PipelineDefinition) throws -> Staging {
            let name = options.asOf.description
            let folder = ".staging-\(name)"
            let path = FileSystem.join(options.output, folder)
            let fingerprint = try RunFingerprint(definition: definition, options: options)
            var resumable: RunCheckpoint?
            if let c = RunCheckpoint.load(staging: path), c.fingerprint == fingerprint { resumable = c }
            for entry in FileSystem.list(options.output)
            where (entry.hasPrefix(".staging-") || entry.hasPrefix(".replaced-")) && !(entry == folder && resumable != nil) {
                try? FileManager.default.removeItem(atPath: FileSystem.join(options.output, entry))
            }
            if resumable != nil {
                // Keep the spilled records, their rejects and the checkpoint; every other output is redone.
                let keep: Set<String> = [RunCheckpoint.directoryName, RunCheckpoint.spillDirectoryName, "rejects"]
                for entry in FileSystem.list(path) where !keep.contains(entry) {
                    try? FileManager.default.removeItem(atPath: FileSystem.join(path, entry))
                }
            }
            try FileSystem.createDirectory(path)
            return Staging(name: name, path: path, fingerprint: fingerprint, resumable: resumable)
        }
    }

    // MARK: ingest

    /// Reads every source into shards (or reuses an interrupted run's ingest) and checkpoints it for a rerun.
    private static func ingest(_ options: RunOptions, definition: PipelineDefinition, staging: Staging, reporter: RunReporter) throws
        -> IngestResult
    {
        let sizing: ShardSizing =
            options.shards.map { .count($0) } ?? options.shardSize.map { .enterprises($0) }
            ?? .memory(bytes: options.memoryBudget ?? MemoryBudget.defaultBytes(), tags: definition.catalog.tags.count, threads: options.threads)
        let ingest = try Ingest.run(
            sources: definition.sources, vocabulary: definition.catalog.vocabulary, input: options.input, asOf: options.asOf,
            rejectsDirectory: FileSystem.join(staging.path, "rejects"),
            spillDirectory: FileSystem.join(staging.path, RunCheckpoint.spillDirectoryName), threads: options.threads, sizing: sizing,
            reuse: staging.resumable?.ingest)
        if ingest.reusedCheckpoint {
            reporter.info("resumed: records of the interrupted run's ingest reused (\(RunCheckpoint.path(staging: staging.path)))")
        } else {
            try RunCheckpoint(fingerprint: staging.fingerprint, ingest: IngestCheckpoint(plan: ingest.plan, stats: ingest.stats, spill: ingest.spill))
                .write(staging: staging.path)
        }
        return ingest
    }

    private static func logIngest(_ ingest: IngestResult, reporter: RunReporter) {
        for s in ingest.stats {
            reporter.debug("\(s.source): read \(s.rowsRead), accepted \(s.rowsAccepted), rejected \(s.rowsRejected)")
        }
        reporter.debug("shards: \(ingest.plan.count) of up to \(ingest.plan.range(0).count) enterprises; spilled \(ingest.spill.bytesOnDisk) bytes")
    }

    // MARK: gates

    /// The data-quality gates (the pipeline's and the built-in `EnterpriseFloor`), against the run published
    /// before this one, with the operator's `--accept-gate`s applied. When a gate fails and is not accepted,
    /// nothing is published: the staging folder becomes `.failed-<as-of>` with the evidence (`FailedRun`), and
    /// `GateFailedError` is thrown (`run` writes the metrics).
    private static func checkGates(
        _ options: RunOptions, definition: PipelineDefinition, ingest: IngestResult, staging: Staging, clock: StageClock, reporter: RunReporter
    ) throws -> [QualityGates.Result] {
        let previous = previousRun(options, gates: definition.gates, stats: ingest.stats, reporter: reporter)
        let verdict = GateVerdict(
            gates: definition.gates, stats: ingest.stats, enterprises: ingest.index.count, previous: previous, accepting: options.acceptGates)
        for g in verdict.results where !g.passed || g.gate == "schema_drift" {
            let line = "gate \(g.gate) [\(g.source)]: \(g.passed ? "passed" : "FAILED"): \(g.detail)"
            if g.passed { reporter.info(line) } else { reporter.warning(line) }
            if let a = g.accepted { reporter.warning("gate \(g.gate) [\(g.source)]: accepted on the record\(a.by.map { " by \($0)" } ?? ""): \(a.reason)") }
        }
        for a in verdict.unused { reporter.warning("--accept-gate \(a.name): that gate did not fail tonight: nothing to accept") }
        guard verdict.refused.isEmpty else {
            let kept = FailedRun.keep(
                options, definition: definition, ingest: ingest, staging: staging, results: verdict.results, clock: clock, reporter: reporter)
            throw GateFailedError(failures: verdict.refused, results: verdict.results, stats: ingest.stats, evidence: kept)
        }
        return verdict.results
    }

    /// The run the `…_vs_previous` gates and the enterprise floor compare with. What cannot be compared is
    /// said in the log; an unreadable manifest fails the configured `…_vs_previous` gates (`QualityGates.check`).
    private static func previousRun(_ options: RunOptions, gates: QualityGates, stats: [SourceStats], reporter: RunReporter) -> PreviousRun {
        let previous = PreviousRun.load(root: options.output)
        guard gates.minRowsVsPrevious != nil else { return previous }
        switch previous {
        case .nothingPublished:
            reporter.info("min_rows_vs_previous: nothing published in \(options.output) yet: nothing to compare with (first run)")
        case .published(let manifest):
            for s in stats where !manifest.sources.contains(where: { $0.source == s.source }) {
                reporter.warning("gate min_rows_vs_previous [\(s.source)]: not in the previous run (\(manifest.asOf)): nothing to compare with")
            }
        case .unreadable:
            break  // the gate fails and its message says why
        }
        return previous
    }

    // MARK: derive

    /// Tags, risk score and class of every enterprise, shard by shard, written in shard order to the run's
    /// files and profile store.
    /// - Returns: enterprises per risk class, in the model's class order, and by source the records left out
    ///   as repeats of an earlier record's natural key (merged in shard order).
    private static func derive(
        _ options: RunOptions, definition: PipelineDefinition, ingest: IngestResult, staging: Staging, clock: inout StageClock,
        reporter: RunReporter
    ) throws -> ([Int], [DuplicateRecords]) {
        let evaluator = TagEvaluator(catalog: definition.catalog, asOf: options.asOf)
        let scorer = RiskScorer(model: definition.risk)
        let imported = try options.tagsFrom.map { try ImportedTags(directory: $0, definition: definition, asOf: options.asOf) }
        if let imported { reporter.info("tags: read from \(imported.directory) (\(imported.parts.count) parts), not computed") }
        let writer = try RunWriter(
            directory: staging.path, definition: definition, tagsCSV: options.tagsCSV.writes(enterprises: ingest.index.count))
        let storeWriter = try StoreWriter(directory: staging.path, definition: definition, asOf: staging.name, threads: options.threads)
        // The records every tag was computed from, with their delivery file and line (docs/EVIDENCE-FORMAT.md).
        let evidence = try EvidenceWriter(
            directory: staging.path, sources: definition.sources, layouts: ingest.spill.layouts,
            files: ingest.stats.map { $0.files.map(\.path) }, enterprises: ingest.index.count)
        let peers =
            imported != nil ? nil : try peerTotals(definition: definition, ingest: ingest, evaluator: evaluator, threads: options.threads)
        if peers != nil { clock.lap("peers") }
        let peerTotals = peers ?? .none
        let nameField = definition.sources.entitySource.fieldIndex("name")!
        let registration = ingest.registration
        let index = ingest.index
        let writeStage = ShardWriteStage<[EvaluatedShard]> { results in
            for r in results {
                let names = r.shard.ordinals.map { registration.texts[nameField].string(Int(index.rowOfOrdinal[$0])) }
                try writer.write(shard: r.shard, names: names, tagValues: r.values, risk: r.risk, reasons: r.reasons)
                try storeWriter.write(shard: r.shard, tagValues: r.values, risk: r.risk, reasons: r.reasons, names: names)
                try evidence.write(r.shard)
            }
        }
        // Waves of `threads` shards: one wave is evaluated while the previous one is written.
        let shardCount = ingest.plan.count
        let wave = max(1, options.threads)
        var waveStart = 0
        var duplicates = [DuplicateRecords](repeating: DuplicateRecords(), count: definition.sources.sources.count)
        while waveStart < shardCount {
            let waveShards = Array(waveStart..<min(shardCount, waveStart + wave))
            // Reasons are text: built on the evaluating threads, once for both classes.csv and the store.
            let vocabulary = definition.catalog.vocabulary
            let results: [EvaluatedShard]
            if let imported {
                // The shards' tags come next in the imported parts, read in shard order; then scored in parallel.
                let shards = try Parallel.map(count: waveShards.count, threads: options.threads) { k in
                    try ingest.shard(waveShards[k], evidence: true)
                }
                let values = try shards.map { try imported.next($0) }
                results = try Parallel.map(count: shards.count, threads: options.threads) { k in
                    let risk = score(shards[k], values: values[k], evaluator: evaluator, scorer: scorer, model: definition.risk)
                    let reasons = risk.map { ReasonText.text($0, model: definition.risk, vocabulary: vocabulary) }
                    return EvaluatedShard(shard: shards[k], values: values[k], risk: risk, reasons: reasons)
                }
            } else {
                results = try Parallel.map(count: waveShards.count, threads: options.threads) { k in
                    let shard = try ingest.shard(waveShards[k], evidence: true)
                    let (values, risk) = evaluate(shard, evaluator: evaluator, scorer: scorer, model: definition.risk, peers: peerTotals)
                    let reasons = risk.map { ReasonText.text($0, model: definition.risk, vocabulary: vocabulary) }
                    return EvaluatedShard(shard: shard, values: values, risk: risk, reasons: reasons)
                }
            }
            for r in results { for (s, d) in r.shard.duplicates.enumerated() { duplicates[s].add(d) } }
            try writeStage.submit(results)
            waveStart += wave
            reporter.progress("derive", min(waveStart, shardCount), shardCount)
            if waveStart >= shardCount / 2 && waveStart - wave < shardCount / 2 { TestHooks.stop(after: "half of derive") }
        }
        try writeStage.finish()
        try imported?.finish()
        try writer.close()
        try storeWriter.close()
        try evidence.close()
        try PeerGroups.write(groupOfOrdinal: peerGroupOfOrdinal(definition: definition, ingest: ingest), to: PeerGroups.path(run: staging.path))
        return (writer.classCounts, duplicates)
    }

    /// Each enterprise's legal-representative group by ordinal, -1 without a `legal_rep_id`: for
    /// `store/peers.idx`, which lets the server list a person's other enterprises without the person's ID.
    private static func peerGroupOfOrdinal(definition: PipelineDefinition, ingest: IngestResult) -> [Int32] {
        let index = ingest.index
        guard index.peerGroupCount > 0, let f = definition.sources.entitySource.fieldIndex(TagCatalog.peerKeyField) else {
            return Array(repeating: -1, count: index.count)
        }
        // Whether a group's key is empty is read once per group, not once per enterprise.
        var empty = [Int8](repeating: -1, count: index.peerGroupCount)
        return (0..<index.count).map { o in
            let row = Int(index.rowOfOrdinal[o])
            let g = Int(index.peerGroupOfRow[row])
            if empty[g] < 0 { empty[g] = ingest.registration.texts[f].string(row).isEmpty ? 1 : 0 }
            return empty[g] == 1 ? -1 : Int32(g)
        }
    }

    /// The first pass, only when the catalog has peers_count tags: per-person totals over all enterprises,
    /// reading only the sources the conditions need. `nil` when there are no such tags.
    private static func peerTotals(definition: PipelineDefinition, ingest: IngestResult, evaluator: TagEvaluator, threads: Int) throws
        -> PeerTotals?
    {
        guard !definition.catalog.peerConditions.isEmpty else { return nil }
        let groupCount = ingest.index.peerGroupCount
        let needed = evaluator.peerConditionSources
        let parts = try Parallel.map(count: ingest.plan.count, threads: threads) { k in
            evaluator.peerMatches(try ingest.shard(k, sources: needed))
        }
        var totals = [[Int32]](repeating: [Int32](repeating: 0, count: groupCount), count: definition.catalog.peerConditions.count)
        for part in parts { TagEvaluator.add(part, to: &totals) }
        return .totals(totals)
    }

    /// One shard's tags, then its risk: the scorecard's `when` entries and hard rules, evaluated over its
    /// tags, and the score, class and reasons.
    private static func evaluate(_ shard: ShardData, evaluator: TagEvaluator, scorer: RiskScorer, model: RiskModel, peers: PeerTotals)
        -> ([Column], [RiskResult])
    {
        let values = evaluator.evaluate(shard, peers: peers)
        return (values, score(shard, values: values, evaluator: evaluator, scorer: scorer, model: model))
    }

    /// The risk of one shard's enterprises from their tags: the scorecard's `when` entries and hard rules,
    /// evaluated over the tags, then score, class and reasons.
    private static func score(_ shard: ShardData, values: [Column], evaluator: TagEvaluator, scorer: RiskScorer, model: RiskModel)
        -> [RiskResult]
    {
        var entryColumns: [Int: [Double]] = [:]
        for (i, entry) in model.entries.enumerated() {
            if let plan = entry.expression { entryColumns[i] = evaluator.evaluate(plan, shard: shard, tags: values).numbers }
        }
        let ruleColumns = model.hardRules.map { evaluator.evaluate($0.condition, shard: shard, tags: values).numbers }
        return scorer.score(count: shard.count, tags: values, entryColumns: entryColumns, ruleColumns: ruleColumns)
    }

    // MARK: manifest, publish, retention

    /// Writes `tag_catalog.csv` and, last of the run's own files, `manifest.json`.
    private static func writeManifest(
        _ options: RunOptions, definition: PipelineDefinition, ingest: IngestResult, classCounts: [Int], gates: [QualityGates.Result],
        duplicates: [String: DuplicateRecordsReport], staging: Staging, clock: inout StageClock
    ) throws -> Manifest {
        try CatalogWriter.write(definition.catalog, to: FileSystem.join(staging.path, "tag_catalog.csv"))
        clock.lap("write")
        var manifest = Manifest(
            pipeline: definition.name, pipelineHash: definition.hash, asOf: staging.name, input: options.input, enterprises: ingest.index.count,
            enterprisesAfterAsOf: ingest.stats[ingest.entitySource].rowsAfterAsOf, tags: definition.catalog.tags.count,
            riskModel: "\(definition.risk.name) v\(definition.risk.version)",
            classCounts: Dictionary(uniqueKeysWithValues: definition.risk.classes.enumerated().map { ($1.code, classCounts[$0]) }),
            sources: ingest.stats,
            outputs: ["classes.csv"] + (options.tagsCSV.writes(enterprises: ingest.index.count) ? ["tags.csv"] : [])
                + ["tag_catalog.csv", "rejects/", "store/", "evidence/", "pipeline/"], threads: options.threads,
            shards: ingest.plan.count, timings: clock.timings, gates: gates)
        manifest.stages = clock.stages
        manifest.spillBytes = ingest.spill.bytesOnDisk
        manifest.resumed = ingest.reusedCheckpoint
        manifest.publishedAt = Manifest.timeText(Date())
        manifest.duplicateRecords = duplicates
        try FileSystem.writeAtomically(try manifest.encoded(), to: FileSystem.join(staging.path, "manifest.json"))
        return manifest
    }

    /// Moves the staging folder into place, switches `current` to it, and records the success in the metrics.
    private static func publish(
        _ options: RunOptions, staging: Staging, manifest: Manifest, ingest: IngestResult, gates: [QualityGates.Result], started: Date
    ) throws -> String {
        let runDirectory = try Publisher.publish(
            staging: staging.path, root: options.output, name: staging.name, makeCurrent: options.makeCurrent)
        FailedRun.clear(root: options.output, name: staging.name)
        try RunMetrics.write(
            to: options.output, exitStatus: .success, asOf: staging.name, started: started, stats: ingest.stats,
            classCounts: manifest.classCounts, gates: gates, duplicates: manifest.duplicateRecords ?? [:])
        return runDirectory
    }

    /// Removes the oldest published runs beyond `keep_runs` (never `current`, nor the run just `published`:
    /// a backfill that did not become current must not remove itself).
    private static func applyRetention(_ options: RunOptions, definition: PipelineDefinition, published: String, reporter: RunReporter)
        throws
    {
        guard let keep = options.keepRuns ?? definition.keepRuns else { return }
        for removed in try RunHistory.prune(root: options.output, keep: keep, keeping: published) {
            reporter.info("retention: removed \(removed)")
        }
    }
}
