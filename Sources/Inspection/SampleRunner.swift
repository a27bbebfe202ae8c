import DataContract
import DigiTagBase
import DigiTagIO
import Engine
import Foundation
import RunModel
import Sampling

/// One enterprise of a run's `classes.csv`.
struct ClassRow: Sendable {
    var uscc: String
    var name: String
    var region: String
    var city: String
    var riskClass: String
    var score: Double
}

/// A complete draw, in memory: what the files of `samples/<task>/` are written from.
public struct SampleDraw: Sendable {
    public var request: SampleRequest
    public var task: SamplingTask
    public var taskPath: String
    public var seed: String
    public var seedOrigin: String
    public var seedFromCommandLine: Bool
    /// True when `--seed` replaced a seed the task file records.
    public var seedOverridesTask: Bool
    /// The commitment the seed was checked against, when the task's seed was committed in advance.
    public var commitment: SeedCommitment?
    /// Where the nonce was read from (nil when it was revealed by an audit record).
    public var nonceFile: String?
    /// When the run drawn from was published (ISO 8601), and where that time comes from.
    public var runPublishedAt: String?
    public var runPublishedAtSource: String?
    /// When this draw was made (from the request; nil when not given), and why it is a redraw.
    public var drawnAt: String?
    public var redrawReason: String?
    /// The draws of the task into this folder before this one (kept in `draws/<seq>/`), set by `SampleRunner.run`.
    public var earlierDraws: [SampleAudit.DrawEntry] = []
    public var pipelineHash: String
    /// The run drawn from, with a symbolic link such as `runs/current` resolved (`runs/2024-12-31`).
    public var runDirectory: String
    public var asOf: String
    public var manifestSHA256: String
    public var classesSHA256: String
    /// SHA-256 of the profile store the scope's tags were read from; nil when the scope reads no tag.
    public var storeSHA256: String?
    public var items: [InspectionItem]
    public var departmentNames: [String: String]
    public var itemsFile: SampleAudit.PolicyFile
    public var inspectorsFile: SampleAudit.PolicyFile
    public var historyFile: SampleAudit.PolicyFile?
    public var roster: InspectorRoster
    public var history: InspectionHistory
    public var enterprisesInRun: Int
    public var enterprisesInScope: Int
    /// The enterprises in scope with their group and weight, in the run's order (USCC order).
    public var candidates: [Candidate]
    public var result: Draw.Result
    /// The inspectors, after the replacements.
    public var assignment: Assignment.Result
    /// The inspectors as the draw assigned them, before any replacement.
    public var drawnAssignment: Assignment.Result
    /// Replacements applied since the draw, in order (`digitag sample replace`).
    public var replacements: [ReplacementRecord]
    public var output: String
}

/// Runs a sampling task on a published run: scope, strata, draw, inspectors; writes plan, notice, audit.
public enum SampleRunner {
    public struct Summary: Sendable {
        public var directory: String
        public var draw: SampleDraw
    }

    /// Draws and writes `plan.csv`, `notice.csv`, `ledger.csv` and `audit.json`.
    ///
    /// A folder that holds a draw already is refused (`AlreadyDrawn`, nothing changed) unless the request is a
    /// redraw with a reason: the earlier draw's files then move to `draws/<n>/` and the new audit record lists
    /// every draw.
    public static func run(_ request: SampleRequest) throws -> Summary {
        // A folder that holds a draw is refused before anything else is checked (a --seed, a nonce).
        if request.redrawReason == nil, let out = plannedOutput(request), FileSystem.exists(FileSystem.join(out, "audit.json")) {
            throw AlreadyDrawn(directory: out, previous: try SampleAudit.read(FileSystem.join(out, "audit.json")))
        }
        var d = try draw(request)
        try SampleHistory.prepareFolder(for: &d)
        try SampleOutputs.write(d, to: d.output)
        return Summary(directory: d.output, draw: d)
    }

    /// The sample folder a request draws into, when it is known without loading the pipeline.
    static func plannedOutput(_ request: SampleRequest) -> String? {
        if let out = request.output { return out }
        guard let path = request.taskPath, let text = request.taskText ?? (try? FileSystem.readText(path)),
            let task = try? SamplingTask.load(text: text, file: path)
        else { return nil }
        return FileSystem.join("samples", task.id)
    }

    /// Everything up to the files: checks, scope, draw and inspector assignment.
    public static func draw(_ request: SampleRequest) throws -> SampleDraw {
        // A link such as runs/current moves to the next night's run: record the run it points to now.
        let run = resolvedRunDirectory(request.runDirectory)
        let manifestPath = FileSystem.join(run, "manifest.json")
        let manifest = try Manifest.read(manifestPath)
        guard let asOf = Day(iso: manifest.asOf) else {
            throw InputError(file: manifestPath, message: "as_of '\(manifest.asOf)' is not a date")
        }
        let definition = try loadPipeline(request.pipeline, expectedHash: manifest.pipelineHash, run: run)

        // The task, from the recorded text (verification), the file given, or the pipeline's default.
        guard let taskPath = request.taskPath ?? definition.defaultTask else {
            throw Diagnostic(
                SourceLocation(file: request.pipeline), "no --task given and the pipeline names no default_task",
                hint: "add default_task: tasks/<file>.yaml to the pipeline, or pass --task")
        }
        let task = try SamplingTask.load(text: request.taskText ?? FileSystem.readText(taskPath), file: taskPath)

        // The seed: given, or recorded with the task, or the nonce the task committed to. Never the clock.
        let seed: String
        let origin: String
        var commitment: SeedCommitment?
        var nonceFile: String?
        switch (request.seed, task.seed) {
        case (_?, .committed?):
            throw Diagnostic(
                task.location, "the task's seed was committed in advance: --seed cannot replace it",
                hint: "draw without --seed: the draw reveals the committed nonce (commitments/\(task.id).nonce, or --nonce FILE)")
        case (let s?, let recorded):
            seed = s
            origin = recorded == nil ? "--seed on the command line" : "--seed on the command line (the task file's seed was not used)"
        case (nil, .committed(let c)?):
            let nonce: String
            if let revealed = request.revealedNonce {
                nonce = revealed
            } else {
                let path = request.nonceFile ?? SeedCommitter.defaultNonceFile(taskID: task.id)
                guard FileSystem.exists(path) else {
                    throw Diagnostic(
                        SourceLocation(file: path), "no nonce file: task \(task.id) commits to a seed (SHA-256 \(c.commitment.prefix(12))…) whose nonce is not here",
                        hint: "the nonce was written by 'digitag sample commit' where it ran; pass --nonce FILE")
                }
                nonce = try FileSystem.readText(path).trimmingCharacters(in: .whitespacesAndNewlines)
                nonceFile = path
            }
            let digest = HexDigest.sha256(nonce)
            guard digest == c.commitment else {
                throw Diagnostic(
                    SourceLocation(file: nonceFile ?? taskPath),
                    "the nonce does not match the task's commitment: its SHA-256 is \(digest.prefix(12))…, the task commits to \(c.commitment.prefix(12))…",
                    hint: "use the nonce file 'digitag sample commit' wrote for this task; nothing was drawn")
            }
            seed = nonce
            commitment = c
            origin =
                "task file \(taskPath): the nonce committed to in advance (SHA-256 \(c.commitment), committed_at \(c.committedAt))"
                + (nonceFile.map { ", revealed from \($0)" } ?? "")
        case (nil, let recorded?):
            seed = recorded.text!
            switch recorded {
            case .literal: origin = "task file \(taskPath): seed"
            default: origin = "task file \(taskPath): \(recorded.formula)"
            }
        case (nil, nil):
            throw Diagnostic(
                task.location, "no seed: the task records none and no --seed was given",
                hint: "commit one in advance with 'digitag sample commit TASK_FILE', or record seed: {published_on: YYYY-MM-DD, nonce: \"…\"} in the task, or pass --seed TEXT; the draw never uses the clock")
        }
        guard !seed.isEmpty else { throw Diagnostic(task.location, "the seed must not be empty") }

        // The item list and the task's items.
        let itemsPath = request.items ?? FileSystem.join(FileSystem.directoryOf(request.pipeline), "items.csv")
        let itemList = try ItemList.load(itemsPath)
        // Unknown items and scope errors are reported together.
        var problems: [Diagnostic] = []
        var items: [InspectionItem] = []
        var compiled: SampleScope?
        do { items = try itemList.resolve(task) } catch { problems += error.diagnostics }
        do { compiled = try SampleScope.compile(task: task, definition: definition, asOf: asOf) } catch {
            problems += error.diagnostics
        }
        guard problems.isEmpty, let scope = compiled else { throw DiagnosticsError(problems) }

        // The run's enterprises, and the scope over them.
        let (rows, classesSHA) = try readClasses(run: run)
        var storeSHA: String?
        var tagValues: RunTagColumns?
        var tagRowOf: [Int]?
        var evaluationScope = scope
        if !scope.tags.isEmpty {
            // Category texts first seen in the store are appended to the vocabulary: earlier codes stay the same.
            let values = try RunTagColumns.read(
                run: run, catalog: definition.catalog, tags: scope.tags, vocabulary: &evaluationScope.vocabulary)
            let rowOf = Dictionary(values.usccs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            tagRowOf = try rows.map { r in
                guard let i = rowOf[r.uscc] else {
                    throw InputError(file: FileSystem.join(run, "store"), message: "\(r.uscc) of classes.csv is not in the profile store")
                }
                return i
            }
            tagValues = values
            storeSHA = values.sha256
        }
        let evaluation = evaluationScope.evaluate(
            rows: rows, tagValues: tagValues, tagRowOf: tagRowOf, catalog: definition.catalog, asOf: asOf)
        var candidates: [Candidate] = []
        candidates.reserveCapacity(rows.count)
        for (i, r) in rows.enumerated() where evaluation.inScope[i] {
            candidates.append(
                Candidate(
                    uscc: r.uscc, name: r.name, region: r.region, city: r.city, riskClass: r.riskClass, group: evaluation.group[i],
                    weight: evaluation.weight[i]))
        }
        try checkCandidates(&candidates, task: task)
        let result = Draw.run(task: task, seed: seed, candidates: candidates, threads: request.threads, shards: request.shards)
        let violations = NeverExempt.violations(result, task: task, candidates: candidates)
        if !violations.isEmpty {
            let shown = violations.prefix(5).map(\.description).joined(separator: "; ")
            throw Diagnostic(
                task.location,
                "\(violations.count) enterprise\(violations.count == 1 ? "" : "s") in scope would break 'no enterprise is ever exempt': "
                    + shown + (violations.count > 5 ? "; …" : ""),
                hint: "lower max_per_stratum or the floor, or say why in exempt_reason (probability 0 only)")
        }

        // The inspector directory and history, then the assignment.
        let inspectorsPath = request.inspectors ?? FileSystem.join(manifest.input, "inspectors.csv")
        guard FileSystem.exists(inspectorsPath) else {
            throw Diagnostic(
                SourceLocation(file: inspectorsPath), "no inspector directory",
                hint: "pass --inspectors FILE (columns inspector_id,name,department,region,items,max_load,conflicts)")
        }
        let regions = definition.sources.regions
        let cityOfCounty = Dictionary(zip(regions.column("code"), regions.column("city_code")), uniquingKeysWith: { a, _ in a })
        let roster = try InspectorRoster.load(inspectorsPath, cityOfCounty: cityOfCounty)
        let historyPath =
            request.history
            ?? Optional(FileSystem.join(FileSystem.directoryOf(inspectorsPath), "inspection_history.csv")).flatMap {
                FileSystem.exists($0) ? $0 : nil
            }
        let history = try historyPath.map { try InspectionHistory.load($0, asOf: asOf) } ?? .empty
        let assignment = try Assignment.run(
            result.selections,
            Assignment.Context(seed: seed, taskID: task.id, items: items, rules: task.inspection, roster: roster, history: history))

        let published = SampleHistory.publishTime(run: run)
        return SampleDraw(
            request: request, task: task, taskPath: taskPath, seed: seed, seedOrigin: origin,
            seedFromCommandLine: request.seed != nil, seedOverridesTask: request.seed != nil && task.seed != nil,
            commitment: commitment, nonceFile: nonceFile, runPublishedAt: published?.time, runPublishedAtSource: published?.source,
            drawnAt: request.drawnAt, redrawReason: request.redrawReason,
            pipelineHash: manifest.pipelineHash, runDirectory: run, asOf: manifest.asOf, manifestSHA256: try fileSHA256(manifestPath),
            classesSHA256: classesSHA, storeSHA256: storeSHA, items: items, departmentNames: itemList.departmentNames,
            itemsFile: .init(file: itemsPath, sha256: try fileSHA256(itemsPath)),
            inspectorsFile: .init(file: inspectorsPath, sha256: try fileSHA256(inspectorsPath)),
            historyFile: try historyPath.map { .init(file: $0, sha256: try fileSHA256($0)) }, roster: roster, history: history,
            enterprisesInRun: rows.count, enterprisesInScope: candidates.count, candidates: candidates, result: result,
            assignment: assignment, drawnAssignment: assignment, replacements: [],
            output: request.output ?? FileSystem.join("samples", task.id))
    }

    /// Checks what the draw's preconditions need: a ratio for every class of every group, usable weights.
    ///
    /// An empty weight (a tag with no value) counts as 0, so the floor applies; a negative or infinite weight is
    /// a mistake in the weight expression.
    static func checkCandidates(_ candidates: inout [Candidate], task: SamplingTask) throws {
        var problems: [Diagnostic] = []
        let groups = task.effectiveGroups
        for (group, classes) in Draw.missingRatios(task: task, candidates: candidates) {
            let location = groups.first { $0.id == group }?.location ?? task.location
            let whose = task.declaresGroups ? "group '\(group)'" : "the task"
            problems.append(
                Diagnostic(
                    location, "the run has enterprises of class \(classes.joined(separator: ", ")) but \(whose) gives no ratio for it",
                    hint: "add it under ratios: no enterprise in scope may be exempt"))
        }
        var bad: [Int: [String]] = [:]
        for i in candidates.indices where candidates[i].group >= 0 && groups[candidates[i].group].isWeighted {
            let w = candidates[i].weight
            if w.isNaN {
                candidates[i].weight = 0
            } else if w < 0 || !w.isFinite {
                bad[candidates[i].group, default: []].append("\(candidates[i].uscc): \(w)")
            }
        }
        for (g, examples) in bad.sorted(by: { $0.key < $1.key }) {
            problems.append(
                Diagnostic(
                    groups[g].weight!.location,
                    "group '\(groups[g].id)' weight is negative or infinite for \(examples.count) enterprise\(examples.count == 1 ? "" : "s") "
                        + "(e.g. \(examples.prefix(3).joined(separator: ", ")))",
                    hint: "weights must be 0 or more, e.g. max(score, 0)"))
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
    }

    /// `path` itself, or where it points when it is a symbolic link (kept relative when the link is).
    static func resolvedRunDirectory(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: p) else { return path }
        return target.hasPrefix("/") ? target : FileSystem.join(FileSystem.directoryOf(p), target)
    }

    /// Loads the pipeline and refuses it unless it is the one the run was made with.
    ///
    /// The pipeline hash covers the files' paths as spelled when loading, so a run made with the absolute
    /// path of the same file is recognised by loading that spelling too.
    static func loadPipeline(_ path: String, expectedHash: String, run: String) throws -> PipelineDefinition {
        let definition = try PipelineDefinition.load(path)
        if definition.hash == expectedHash { return definition }
        let cwd = FileManager.default.currentDirectoryPath
        var spellings: [String] = []
        if !path.hasPrefix("/") { spellings.append(FileSystem.join(cwd, path)) }
        if path.hasPrefix(cwd + "/") { spellings.append(String(path.dropFirst(cwd.count + 1))) }
        for other in spellings {
            if let d = try? PipelineDefinition.load(other), d.hash == expectedHash { return definition }
        }
        throw Diagnostic(
            SourceLocation(file: path),
            "the run \(run) was made with a different pipeline (hash \(expectedHash.prefix(12))…, this one \(definition.hash.prefix(12))…)",
            hint: "draw with the pipeline files the run was made with, or run the pipeline again")
    }

    /// Reads the run's `classes.csv`; every USCC must be unique.
    static func readClasses(run: String) throws -> ([ClassRow], String) {
        let path = FileSystem.join(run, "classes.csv")
        guard FileSystem.exists(path) else { throw InputError(file: path, message: "no classes.csv: not a complete run directory") }
        let table = try ReferenceTable.load(path, requiredColumns: ["uscc", "name", "region", "city", "class", "score"])
        let h = Dictionary(uniqueKeysWithValues: table.header.enumerated().map { ($1, $0) })
        var seen = Set<String>()
        var rows: [ClassRow] = []
        rows.reserveCapacity(table.rows.count)
        for (r, line) in zip(table.rows, table.lines) {
            let uscc = r[h["uscc"]!]
            guard seen.insert(uscc).inserted else { throw InputError(file: path, line: line, message: "\(uscc) is listed twice") }
            rows.append(
                ClassRow(
                    uscc: uscc, name: r[h["name"]!], region: r[h["region"]!], city: r[h["city"]!], riskClass: r[h["class"]!],
                    score: Double(r[h["score"]!]) ?? .nan))
        }
        return (rows, try fileSHA256(path))
    }

    static func fileSHA256(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(file: path, message: "cannot read the file")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return HexDigest.hex(hasher.finalize())
    }
}
