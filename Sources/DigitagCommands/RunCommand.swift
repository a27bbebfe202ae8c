import ArgumentParser
import DataContract
import DigiTagBase
import Foundation
import Logging
import NightlyRun
import RunModel

/// `digitag run`: the nightly run.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the pipeline: ingest, tags, risk classes, and publish runs/<as-of>/.",
        discussion: """
            Reads every source named in the pipeline's sources.yaml from --input, validates each row (rejected rows go to runs/<as-of>/rejects/<source>.csv with file, line, field and reason), evaluates every tag as of --as-of (records dated later are ignored), classifies every enterprise, and switches runs/current to the new run only when everything is written.

            Memory stays bounded: record sources are spilled to disk by shard and shards are evaluated a few at a \
            time (see --memory). A run killed after its ingest is resumed by running the same command again: with \
            unchanged input files it reuses the spilled records (the log says "resumed").

            A run that fails a data-quality gate (the pipeline's gates, or the built-in floor: no enterprise, or fewer \
            than half of the previous run's) publishes nothing and keeps what it read in <out>/.failed-<as-of>/ \
            (manifest.json, report.html, rejects/). If the delivery is right after all, run again with \
            --accept-gate NAME --reason TEXT: the run is published with the acceptance on the record.

            Exit codes: 0 published, 2 configuration error, 3 bad input file, 4 data-quality gate failed (nothing \
            published), 5 another run is active on --out, 8 environment (disk full, no permission), 1 internal error, \
            64 wrong usage.
            """)

    @OptionGroup var pipeline: PipelineOption

    @Option(help: "Directory with the source files (market/, tax/, credit/); default: the pipeline's input: key. Required if the pipeline names none.")
    var input: String?

    @Flag(help: "Switch runs/current to this run even if it is a backfill (an as-of date earlier than current's).")
    var makeCurrent = false

    @Option(name: .customLong("as-of"), help: "The run's date (YYYY-MM-DD): records dated after it are ignored.")
    var asOf: Day

    @Option(help: "Where runs are published.")
    var out = "runs"

    @OptionGroup var workers: ThreadsOption

    @Option(
        help: """
            Number of shards: enterprises are cut into this many ranges of USCCs, evaluated a few at a time \
            (default: sized to --memory). Outputs are the same bytes for any number of shards and threads.
            """)
    var shards: Int?

    @Option(name: .customLong("shard-size"), help: "Enterprises per shard (instead of --shards).")
    var shardSize: Int?

    @Option(
        help: """
            Memory for the shards evaluated at once, e.g. 512M or 2G (default: a quarter of physical memory, \
            at most 1G). Registration columns and the USCC directory come on top, about 250 bytes per enterprise.
            """)
    var memory: String?

    @Option(
        name: .customLong("encoding"),
        help: ArgumentHelp(
            """
            The encoding tonight's delivery is written in, when it differs from sources.yaml: ENCODING for every \
            source, or SOURCE=ENCODING (repeatable) for one. One of utf-8, gb18030, gbk. Recorded per file in manifest.json.
            """, valueName: "[SOURCE=]ENCODING"))
    var encodings: [String] = []

    @Option(
        name: .customLong("tags-csv"),
        help: ArgumentHelp(
            "Write tags.csv (every tag of every enterprise as CSV) besides the profile store: auto|always|never.",
            discussion: "auto writes it up to \(TagsCSVPolicy.autoLimit) enterprises. The store holds the same values: "
                + "'digitag export tags --run R' writes the same file, or a slice of it, at any time.",
            valueName: "auto|always|never"))
    var tagsCSV: TagsCSVPolicy = .auto

    @Option(
        name: .customLong("tags-from"),
        help: ArgumentHelp(
            "Score and publish the tags in DIR (made by spark/digitag_tags.py, docs/spark.md) instead of computing them.",
            discussion: "DIR must hold tags computed with this pipeline (same hash) as of --as-of; the input is still read "
                + "for the registration, the record counts and the rejects, and everything else is made as usual.",
            valueName: "DIR"))
    var tagsFrom: String?

    @Option(help: "Keep this many published runs, deleting older ones after success (default: the pipeline's keep_runs, else all).")
    var keep: Int?

    @Option(help: "Log level on stderr: trace, debug, info, notice, warning, error, critical. Stage timings are info; per-source counts debug.")
    var logLevel: Logger.Level = .info

    @Flag(help: "Same as --log-level debug.")
    var verbose = false

    @Option(
        name: .customLong("accept-gate"),
        help: ArgumentHelp(
            """
            Publish although this gate fails, on the record (repeatable): a gate name (max_reject_rate, \
            min_rows_vs_previous, min_enterprises_vs_previous, schema_drift, enterprise_floor), optionally \
            NAME:SOURCE. Needs --reason.
            """, valueName: "name"))
    var acceptGate: [String] = []

    @Option(help: "Why the --accept-gate failures are accepted: recorded with who accepted them ($USER) in manifest.json, report.html and metrics.prom.")
    var reason: String?

    /// The acceptances `--accept-gate` and `--reason` ask for, by `$USER` when it is set.
    func acceptances() -> [GateAcceptance] {
        let by = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 }
        return acceptGate.compactMap {
            if case .accepted(let a) = GateAcceptance.parse($0, reason: reason ?? "", by: by) { return a }
            return nil
        }
    }

    /// `--input`, else the pipeline file's `input:`; nil when neither names one.
    var resolvedInput: String? { input ?? PipelineDefinition.declaredInput(pipeline.path) }

    func validate() throws {
        if !acceptGate.isEmpty && (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--accept-gate needs --reason TEXT: why the failed gate is accepted (it is recorded with the run)")
        }
        if acceptGate.isEmpty && reason != nil { throw ValidationError("--reason goes with --accept-gate NAME") }
        for name in acceptGate {
            if case .problem(let message) = GateAcceptance.parse(name, reason: reason ?? "", by: nil) { throw ValidationError(message) }
        }
        // Never a demo default: a production run that forgot --input must not publish synthetic data.
        guard resolvedInput != nil else {
            throw ValidationError(
                "no input: pass --input DIR (the folder with market/, tax/, credit/) or name it in \(pipeline.path) as 'input: DIR'; "
                    + "a run never falls back to the demo SampleData")
        }
        if let shards, shards < 1 { throw ValidationError("--shards must be at least 1") }
        if let keep, keep < 1 { throw ValidationError("--keep must be at least 1") }
        if let shardSize, shardSize < 1 { throw ValidationError("--shard-size must be at least 1") }
        if shards != nil && shardSize != nil { throw ValidationError("give --shards or --shard-size, not both") }
        do { _ = try EncodingOverride(arguments: encodings) } catch { throw ValidationError(error.message) }
        if let memory, ByteSize.parse(memory) == nil {
            throw ValidationError("--memory must be a size such as 512M or 2G, found '\(memory)'")
        }
    }

    func run() throws {
        let input = resolvedInput!
        try reportingFailures {
            var options = RunOptions(
                pipeline: pipeline.path, input: input, asOf: asOf, output: out, threads: workers.threads, shards: shards,
                shardSize: shardSize, memoryBudget: memory.flatMap(ByteSize.parse), keepRuns: keep, makeCurrent: makeCurrent)
            options.acceptGates = acceptances()
            options.encodings = try EncodingOverride(arguments: encodings)
            options.tagsCSV = tagsCSV
            options.tagsFrom = tagsFrom
            var logger = makeLogger("run", level: verbose ? .debug : logLevel)
            logger[metadataKey: "as_of"] = "\(asOf)"
            let log = logger
            let summary = try Runner.run(
                options,
                reporter: RunReporter(sink: { level, line in
                    switch level {
                    case .debug: log.debug("\(line)")
                    case .info: log.info("\(line)")
                    case .warning: log.warning("\(line)")
                    }
                },
                progress: { stage, done, total in
                    // A bar rewritten in place, on a terminal only; log lines carry the stage times otherwise.
                    guard stderrIsTerminal, total > 1 else { return }
                    let width = 30
                    let filled = width * done / total
                    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                    FileHandle.standardError.write(Data("\r\(stage) [\(bar)] \(done)/\(total) shards\(done == total ? "\n" : "")".utf8))
                }))
            let m = summary.manifest
            print("run published: \(summary.runDirectory) (\(currentLink(out)))")
            let current = (try? FileManager.default.destinationOfSymbolicLink(atPath: out + "/current")) ?? ""
            if (current as NSString).lastPathComponent != asOf.description {
                print("  backfill: as of \(asOf), earlier than current's \(current); current not moved (--make-current moves it)")
            }
            print("  enterprises: \(m.enterprises), tags per enterprise: \(m.tags)")
            print("  classes: \(m.classCountsText)")
            for g in m.acceptedGates {
                print("  accepted gate: \(g.gate) [\(g.source)]: \(g.detail); reason: \(g.accepted!.reason)")
            }
            for s in m.sources {
                let duplicates = m.duplicateRecords?[s.source]?.count ?? 0
                print(
                    "  \(s.source): read \(s.rowsRead), accepted \(s.rowsAccepted), rejected \(s.rowsRejected)"
                        + (duplicates > 0 ? ", \(duplicates) duplicate\(duplicates == 1 ? "" : "s") not counted" : ""))
            }
            let tagsFile = m.outputs.contains("tags.csv") ? "tags.csv, " : ""
            print("  outputs: report.html, changes.json, classes.csv, \(tagsFile)tag_catalog.csv, manifest.json, rejects/, store/")
        }
    }
}

/// Where `<out>/current` points now, as `runs/current → runs/2024-12-31`.
private func currentLink(_ out: String) -> String {
    "\(out)/current → \(out)/" + ((try? FileManager.default.destinationOfSymbolicLink(atPath: out + "/current")) ?? "?")
}
