import DataContract
import DigiTagBase
import DigiTagIO
import Engine
import Foundation
import RunModel
import Sampling

/// A task is drawn once (invariant 9). A second draw into a sample folder is refused; a redraw is an explicit,
/// recorded act that keeps the earlier draw in `draws/<n>/` (its plan, notice, ledger, audit record and results).
public enum SampleHistory {
    /// The folder kept draws live in, inside the sample folder.
    public static let folder = "draws"
    /// The files of a draw that a redraw keeps.
    static let drawFiles = ["plan.csv", "notice.csv", "ledger.csv", "audit.json", "results.csv"]

    /// Refuses a folder that holds a draw, or, for a redraw, moves that draw into `draws/<n>/` and records the
    /// list of draws in `d`. Nothing is moved when the draw is refused.
    static func prepareFolder(for d: inout SampleDraw) throws {
        let auditPath = FileSystem.join(d.output, "audit.json")
        guard FileSystem.exists(auditPath) else {
            d.earlierDraws = []
            return
        }
        let previous = try SampleAudit.read(auditPath)
        guard let reason = d.redrawReason else { throw AlreadyDrawn(directory: d.output, previous: previous) }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Diagnostic(SourceLocation(file: d.taskPath), "--reason must say why the task is drawn again")
        }
        var history = previous.draws ?? [
            SampleAudit.DrawEntry(seq: 1, drawnAt: nil, reason: nil, directory: ".", seed: previous.seed, run: previous.run.directory)
        ]
        let seq = history.last!.seq
        let kept = FileSystem.join(folder, String(seq))
        let keptPath = FileSystem.join(d.output, kept)
        guard !FileSystem.exists(keptPath) else {
            throw InputError(file: keptPath, message: "a kept draw is in the way: the sample folder's history does not match its audit record")
        }
        try FileSystem.createDirectory(keptPath)
        for name in drawFiles where FileSystem.exists(FileSystem.join(d.output, name)) {
            try FileManager.default.moveItem(atPath: FileSystem.join(d.output, name), toPath: FileSystem.join(keptPath, name))
        }
        history[history.count - 1].directory = kept
        history[history.count - 1].auditSHA256 = try SampleRunner.fileSHA256(FileSystem.join(keptPath, "audit.json"))
        d.earlierDraws = history
    }

    /// The list of draws the new audit record holds: the earlier ones, then this one.
    static func entries(_ d: SampleDraw) -> [SampleAudit.DrawEntry] {
        let seq = (d.earlierDraws.last?.seq ?? 0) + 1
        return d.earlierDraws + [
            SampleAudit.DrawEntry(
                seq: seq, drawnAt: d.drawnAt, reason: d.earlierDraws.isEmpty ? nil : d.redrawReason, directory: ".", seed: d.seed,
                run: d.runDirectory)
        ]
    }

    /// When a run was published: the manifest's `published_at`. A run published before the manifest recorded
    /// it falls back to `manifest.json`'s modification time (the publisher writes it last into the staging
    /// folder, just before the atomic rename), which a copy that does not keep times (`cp` without `-p`)
    /// moves: the audit record keeps the time seen at the draw, and says which it is.
    static func publishTime(run: String) -> (time: String, source: String)? {
        let path = FileSystem.join(run, "manifest.json")
        if let published = (try? Manifest.read(path))?.publishedAt { return (published, "published_at in \(path)") }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let date = attributes[.modificationDate] as? Date
        else { return nil }
        return (SeedCommitment.text(date), "modification time of \(path) (the manifest records no publish time)")
    }

    /// What verify says about the seed: notes (printed) and findings (which fail verification).
    static func seedTiming(_ audit: SampleAudit) -> (notes: [String], findings: [String]) {
        guard let c = audit.seedCommitment else {
            let how = audit.seedFromCommandLine ? "--seed on the command line" : "a seed written in the task file"
            return (["seed: not committed in advance (\(how)): nothing shows it was fixed before the data was known"], [])
        }
        guard let published = audit.run.publishedAt else {
            return (["seed: committed at \(c.committedAt); the run's publish time is unknown"], [])
        }
        guard let committed = SeedCommitment.date(c.committedAt), let run = SeedCommitment.date(published) else {
            return ([], ["seed: committed_at '\(c.committedAt)' or the run's publish time '\(published)' is not a time"])
        }
        if committed < run {
            return (
                [
                    "seed: committed in advance: SHA-256 \(c.commitment.prefix(12))… fixed at \(c.committedAt), before run "
                        + "\(audit.run.directory) was published (\(published))"
                ], []
            )
        }
        return (
            [],
            [
                "seed: committed at \(c.committedAt), after run \(audit.run.directory) was published (\(published)): "
                    + "the seed could have been chosen knowing the data it drew from"
            ]
        )
    }

    /// `results.csv` against the current plan: every enterprise with results is to be inspected now (drawn and
    /// not replaced, or a replacement), or was replaced because it could not be reached and has only that result.
    static func checkResults(directory: String, draw: SampleDraw) -> [String] {
        let path = FileSystem.join(directory, "results.csv")
        guard FileSystem.exists(path) else { return [] }
        let table: ReferenceTable
        do { table = try ReferenceTable.load(path, requiredColumns: ["统一社会信用代码", "任务名称", "检查结果"]) } catch {
            return ["results.csv cannot be read: \(error)"]
        }
        let current = Set(SampleOutputs.currentSelections(draw).map(\.candidate.uscc))
        let replacedFor = Dictionary(
            draw.replacements.map { ($0.request.uscc, $0.request.reason.rawValue) }, uniquingKeysWith: { a, _ in a })
        let drawn = Set(draw.result.selections.map(\.candidate.uscc) + draw.replacements.map(\.selection.candidate.uscc))
        let unreachable = InspectionResultCode.unreachable.text
        var out: [String] = []
        var titles = Set<String>()
        for r in table.rows.indices {
            let f = table.record(r)
            let uscc = f["统一社会信用代码"]!
            titles.insert(f["任务名称"]!)
            if current.contains(uscc) { continue }
            if let reason = replacedFor[uscc] {
                if reason == "unreachable" && f["检查结果"] == unreachable { continue }
                out.append("results.csv: \(uscc) has results but was replaced (\(reason)): it is not in the current plan")
            } else if drawn.contains(uscc) {
                out.append("results.csv: \(uscc) has results but is not in the current plan")
            } else {
                out.append("results.csv: \(uscc) has results but was not drawn")
            }
        }
        for t in titles.sorted() where t != draw.task.publishedTitle {
            out.append("results.csv: 任务名称 '\(t)' is not the task's public title '\(draw.task.publishedTitle)'")
        }
        return out
    }
}

/// A second draw into a sample folder that holds a draw: refused, nothing changed.
public struct AlreadyDrawn: DigitagError, Sendable {
    public var directory: String
    public var taskID: String
    public var draws: Int
    public var run: String

    init(directory: String, previous: SampleAudit) {
        self.directory = directory
        self.taskID = previous.task.id
        self.draws = previous.draws?.count ?? 1
        self.run = previous.run.directory
    }

    public init(directory: String, taskID: String, draws: Int, run: String) {
        self.directory = directory
        self.taskID = taskID
        self.draws = draws
        self.run = run
    }

    public var exitStatus: ExitStatus { .alreadyDrawn }

    public var description: String {
        "task \(taskID) was drawn already into \(directory) (from run \(run)"
            + (draws > 1 ? ", \(draws) draws" : "") + "): a task is drawn once; nothing was changed"
    }

    public var report: [String] {
        [
            "digitag: \(description)",
            "digitag: to draw it again, say why: --redraw --reason TEXT (the earlier draw is kept in \(directory)/\(SampleHistory.folder)/, "
                + "and audit.json lists every draw); to check it: digitag sample verify \(directory)",
        ]
    }
}

/// `digitag sample commit`: fixes a task's seed before the data is known.
///
/// The caller gives the nonce's bytes (from /dev/urandom: the only place randomness enters digitag) and the
/// time; this writes the nonce, as hex, into a private file (`commitments/<task id>.nonce`, readable by its owner
/// only, kept out of the pipeline folder so it is not published or committed to version control with the
/// tasks) and appends `seed: {commitment: SHA-256(nonce), committed_at: …}` to the task file, to publish with
/// the task before the run.
public enum SeedCommitter {
    public static let folder = "commitments"

    public static func defaultNonceFile(taskID: String) -> String { FileSystem.join(folder, taskID + ".nonce") }

    public struct Outcome: Sendable {
        public var taskID: String
        public var commitment: String
        public var committedAt: String
        public var nonceFile: String
    }

    public static func commit(taskPath: String, nonce: [UInt8], at time: Date, nonceFile: String? = nil) throws -> Outcome {
        guard nonce.count >= 16 else { throw Diagnostic(SourceLocation(file: taskPath), "a nonce needs at least 16 random bytes") }
        let text = try FileSystem.readText(taskPath)
        let task = try SamplingTask.load(text: text, file: taskPath)
        if let seed = task.seed {
            let what: String
            switch seed {
            case .committed(let c): what = "is committed already (at \(c.committedAt))"
            default: what = "records a seed already"
            }
            throw Diagnostic(
                task.location, "task \(task.id) \(what): a seed is fixed once",
                hint: "a new commitment would let the seed be chosen again; remove the seed only for a task not yet published")
        }
        let nonceText = HexDigest.hex(nonce)
        let commitment = HexDigest.sha256(nonceText)
        let committedAt = SeedCommitment.text(time)
        let path = nonceFile ?? defaultNonceFile(taskID: task.id)
        guard !FileSystem.exists(path) else {
            throw Diagnostic(
                SourceLocation(file: path), "a nonce file for task \(task.id) exists already",
                hint: "it belongs to an earlier commitment: keep it, and restore the task's seed line that matches it")
        }
        // The nonce first (private), then the task: a task never commits to a nonce that was not kept.
        let dir = FileSystem.directoryOf(path)
        try FileSystem.createDirectory(dir)
        _ = chmod(dir, 0o700)
        try FileSystem.writeAtomically(Data((nonceText + "\n").utf8), to: path)
        _ = chmod(path, 0o600)
        var updated = text
        if !updated.hasSuffix("\n") { updated += "\n" }
        updated +=
            "# Committed with 'digitag sample commit': SHA-256 of a nonce kept private until the draw. Publish this file\n"
            + "# before the run; the draw reveals the nonce and checks it.\n"
            + "seed: {commitment: \(commitment), committed_at: \"\(committedAt)\"}\n"
        _ = try SamplingTask.load(text: updated, file: taskPath)
        try FileSystem.writeAtomically(Data(updated.utf8), to: taskPath)
        return Outcome(taskID: task.id, commitment: commitment, committedAt: committedAt, nonceFile: path)
    }
}
