import Catalog
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

    public static func run(_ options: RunOptions, reporter: RunReporter = .silent) throws -> Summary {
        var timings: [String: Double] = [:]
        var stages: [StageUsage] = []
        var clock = Date()
        var usage = ResourceUsage.now()
        let started = clock
        func lap(_ stage: String) {
            let now = Date()
            let nowUsage = ResourceUsage.now()
            timings[stage] = (now.timeIntervalSince(clock) * 1000).rounded() / 1000
            stages.append(
                StageUsage(
                    stage: stage, wallSeconds: timings[stage]!, cpuSeconds: ((nowUsage.cpuSeconds - usage.cpuSeconds) * 1000).rounded() / 1000,
                    peakRSSBytes: nowUsage.peakRSSBytes))
            clock = now
            usage = nowUsage
            reporter.info("\(stage): \(timings[stage]!) s")
        }
        let definition = try PipelineDefinition.load(options.pipeline)
        lap("compile")

        let asOfText = options.asOf.description
        try FileSystem.createDirectory(options.output)
        let lock = try RunLock(directory: options.output, description: "run as of \(asOfText), input \(options.input)")
        defer { withExtendedLifetime(lock) {} }
        // We hold the lock, so any staging folder here belongs to a run that died. The one for this date
        // is kept if its ingest checkpoint matches this run's inputs (resume); everything else goes.
        let stagingName = ".staging-\(asOfText)"
        let staging = FileSystem.join(options.output, stagingName)
        let fingerprint = try RunFingerprint(definition: definition, options: options)
        var resumable: RunCheckpoint?
        if let c = RunCheckpoint.load(staging: staging), c.fingerprint == fingerprint { resumable = c }
        for name in FileSystem.list(options.output)
        where (name.hasPrefix(".staging-") || name.hasPrefix(".replaced-")) && !(name == stagingName && resumable != nil) {
            try? FileManager.default.removeItem(atPath: FileSystem.join(options.output, name))
        }
        if resumable != nil {
            // Keep the spilled records, their rejects and the checkpoint; every other output is redone.
            let keep: Set<String> = [RunCheckpoint.directoryName, RunCheckpoint.spillDirectoryName, "rejects"]
            for name in FileSystem.list(staging) where !keep.contains(name) {
                try? FileManager.default.removeItem(atPath: FileSystem.join(staging, name))
            }
        }
        try FileSystem.createDirectory(staging)

        let sizing: ShardSizing =
            options.shards.map { .count($0) } ?? options.shardSize.map { .enterprises($0) }
            ?? .memory(bytes: options.memoryBudget ?? MemoryBudget.defaultBytes(), tags: definition.catalog.tags.count, threads: options.threads)
        let ingest = try Ingest.run(
            sources: definition.sources, vocabulary: definition.catalog.vocabulary, input: options.input, asOf: options.asOf,
            rejectsDirectory: FileSystem.join(staging, "rejects"),
            spillDirectory: FileSystem.join(staging, RunCheckpoint.spillDirectoryName), threads: options.threads, sizing: sizing,
            reuse: resumable?.ingest)
        let resumed = ingest.reusedCheckpoint
        if resumed {
            reporter.info("resumed: records of the interrupted run's ingest reused (\(RunCheckpoint.path(staging: staging)))")
        } else {
            try RunCheckpoint(fingerprint: fingerprint, ingest: IngestCheckpoint(plan: ingest.plan, stats: ingest.stats, spill: ingest.spill))
                .write(staging: staging)
        }
        lap("ingest")
        TestHooks.stop(after: "ingest")
        for s in ingest.stats {
            reporter.debug("\(s.source): read \(s.rowsRead), accepted \(s.rowsAccepted), rejected \(s.rowsRejected)")
        }
        reporter.debug("shards: \(ingest.plan.count) of up to \(ingest.plan.range(0).count) enterprises; spilled \(ingest.spill.bytesOnDisk) bytes")
        // Data-quality gates, against the run published before this one.
        let previous = try? Manifest.read(FileSystem.join(FileSystem.join(options.output, "current"), "manifest.json"))
        let gateResults = definition.gates.check(ingest.stats, previous: previous)
        for g in gateResults where !g.passed || g.gate == "schema_drift" {
            let line = "gate \(g.gate) [\(g.source)]: \(g.passed ? "passed" : "FAILED"): \(g.detail)"
            if g.passed { reporter.info(line) } else { reporter.warning(line) }
        }
        let failedGates = gateResults.filter { !$0.passed }
        if !failedGates.isEmpty {
            // Nothing is published; the rejects stay in .failed-<as-of> for the operator to read.
            RunCheckpoint.removeWork(staging: staging)
            let failed = FileSystem.join(options.output, ".failed-\(asOfText)")
            try? FileManager.default.removeItem(atPath: failed)
            try? FileManager.default.moveItem(atPath: staging, toPath: failed)
            try? RunMetrics.write(
                to: options.output, outcome: .gateFailed, asOf: asOfText, started: started, stats: ingest.stats, classCounts: [:],
                gates: gateResults)
            throw GateFailedError(failures: failedGates)
        }

        let n = ingest.index.count
        let shardCount = ingest.plan.count
        let evaluator = TagEvaluator(catalog: definition.catalog, asOf: options.asOf)
        let scorer = RiskScorer(model: definition.risk)
        let writer = try RunWriter(directory: staging, definition: definition)
        let storeWriter = try StoreWriter(directory: staging, definition: definition, asOf: asOfText, threads: options.threads)
        let nameField = definition.sources.entitySource.fieldIndex("name")!
        let registration = ingest.registration
        let index = ingest.index
        let loaded = ingest
        // First pass, only when the catalog has peers_count tags: per-person totals over all enterprises,
        // reading only the sources the conditions need.
        var peers = PeerTotals.none
        if !definition.catalog.peerConditions.isEmpty {
            let groupCount = index.peerGroupCount
            let needed = evaluator.peerConditionSources
            let parts = try Parallel.map(count: shardCount, threads: options.threads) { k in
                evaluator.peerMatches(try loaded.shard(k, sources: needed))
            }
            var totals = [[Int32]](repeating: [Int32](repeating: 0, count: groupCount), count: definition.catalog.peerConditions.count)
            for part in parts { TagEvaluator.add(part, to: &totals) }
            peers = .totals(totals)
            lap("peers")
        }
        let peerTotals = peers
        var waveStart = 0
        let wave = max(1, options.threads)
        let writeStage = ShardWriteStage<[(ShardData, [Column], [RiskResult])]> { results in
            for (shard, values, risk) in results {
                let names = shard.ordinals.map { registration.texts[nameField].string(Int(index.rowOfOrdinal[$0])) }
                try writer.write(shard: shard, names: names, tagValues: values, risk: risk)
                try storeWriter.write(shard: shard, tagValues: values, risk: risk, names: names)
            }
        }
        while waveStart < shardCount {
            let waveShards = Array(waveStart..<min(shardCount, waveStart + wave))
            let results = try Parallel.map(count: waveShards.count, threads: options.threads) { k in
                let shard = try loaded.shard(waveShards[k])
                let values = evaluator.evaluate(shard, peers: peerTotals)
                var entryColumns: [Int: [Double]] = [:]
                for (i, entry) in definition.risk.entries.enumerated() {
                    if let plan = entry.expression { entryColumns[i] = evaluator.evaluate(plan, shard: shard, tags: values).numbers }
                }
                let ruleColumns = definition.risk.hardRules.map { evaluator.evaluate($0.condition, shard: shard, tags: values).numbers }
                let risk = scorer.score(count: shard.count, tags: values, entryColumns: entryColumns, ruleColumns: ruleColumns)
                return (shard, values, risk)
            }
            try writeStage.submit(results)
            waveStart += wave
            reporter.progress("derive", min(waveStart, shardCount), shardCount)
            if waveStart >= shardCount / 2 && waveStart - wave < shardCount / 2 { TestHooks.stop(after: "half of derive") }
        }
        try writeStage.finish()
        try writer.close()
        try storeWriter.close()
        lap("derive")
        RunCheckpoint.removeWork(staging: staging)

        let manifest = Manifest(
            pipeline: definition.name, pipelineHash: definition.hash, asOf: asOfText, input: options.input, enterprises: n,
            enterprisesAfterAsOf: ingest.stats[ingest.entitySource].rowsAfterAsOf, tags: definition.catalog.tags.count,
            riskModel: "\(definition.risk.name) v\(definition.risk.version)",
            classCounts: Dictionary(
                uniqueKeysWithValues: definition.risk.classes.enumerated().map { ($1.code, writer.classCounts[$0]) }),
            sources: ingest.stats, outputs: ["classes.csv", "tags.csv", "tag_catalog.csv", "rejects/", "store/", "pipeline/"], threads: options.threads,
            shards: shardCount, timings: timings, gates: gateResults)
        try CatalogWriter.write(definition.catalog, to: FileSystem.join(staging, "tag_catalog.csv"))
        var final = manifest
        lap("write")
        final.timings = timings
        final.stages = stages
        final.spillBytes = ingest.spill.bytesOnDisk
        final.resumed = resumed
        try FileSystem.writeAtomically(try final.encoded(), to: FileSystem.join(staging, "manifest.json"))
        // changes.json and report.html (ReportWriter.swift), while `current` still points to the previous run.
        try ReportWriter.write(
            directory: staging, name: asOfText, previous: FileSystem.join(options.output, "current"), manifest: final,
            definition: definition, reporter: reporter)
        try RunPipelineCopy.save(definition, into: staging)
        let runDirectory = try Publisher.publish(staging: staging, root: options.output, name: asOfText, makeCurrent: options.makeCurrent)
        try RunMetrics.write(
            to: options.output, outcome: .success, asOf: asOfText, started: started, stats: ingest.stats,
            classCounts: final.classCounts, gates: gateResults)
        if let keep = options.keepRuns ?? definition.keepRuns {
            for removed in try RunHistory.prune(root: options.output, keep: keep, keeping: asOfText) { reporter.info("retention: removed \(removed)") }
        }
        return Summary(runDirectory: runDirectory, manifest: final)
    }
}
