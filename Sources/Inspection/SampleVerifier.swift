import DataContract
import DigiTagBase
import DigiTagIO
import Engine
import Foundation
import ProfileStore
import RunModel
import Sampling

/// What `digitag sample verify` found.
public struct SampleVerification: Sendable {
    /// Inputs that changed since the draw (run, pipeline, task, item list, inspector directory, history).
    public var changedInputs: [String]
    /// Every way the sample directory differs from a fresh re-run of the draw (kept draws included,
    /// prefixed with their folder), and results for enterprises not in the current plan.
    public var differences: [String]
    /// What verify says besides: whether the seed was committed in advance, each kept draw's outcome.
    public var notes: [String] = []
    /// Findings that fail verification although the files reproduce: a seed committed after the data.
    public var findings: [String] = []

    public init(changedInputs: [String], differences: [String], notes: [String] = [], findings: [String] = []) {
        self.changedInputs = changedInputs
        self.differences = differences
        self.notes = notes
        self.findings = findings
    }

    /// The files reproduce and no input changed.
    public var identical: Bool { changedInputs.isEmpty && differences.isEmpty }
    /// Identical, and nothing found about the seed.
    public var passed: Bool { identical && findings.isEmpty }
}

/// Re-runs a draw from its audit record, replays its replacements, and compares the result with the files
/// of the sample directory.
public enum SampleVerifier {
    /// - Parameter runDirectory: the run, when it is not where the audit record says (another machine).
    public static func verify(directory: String, runDirectory: String? = nil, threads: Int = 1) throws -> SampleVerification {
        try check(directory: directory, runDirectory: runDirectory, threads: threads).0
    }

    /// The verification and, when the draw could be re-run, the re-run draw with its replacements replayed.
    static func check(directory: String, runDirectory: String? = nil, threads: Int = 1) throws -> (SampleVerification, SampleDraw?) {
        var (v, draw) = try checkOne(directory: directory, runDirectory: runDirectory, threads: threads)
        let audit = try SampleAudit.read(FileSystem.join(directory, "audit.json"))
        let timing = SampleHistory.seedTiming(audit)
        v.notes += timing.notes
        v.findings += timing.findings
        // The history: every kept draw verifies against its own audit record, which must be the one recorded.
        let kept = (audit.draws ?? []).filter { $0.directory != "." }
        for entry in kept {
            let folder = FileSystem.join(directory, entry.directory)
            let label = "draw \(entry.seq) (\(entry.directory))"
            let auditPath = FileSystem.join(folder, "audit.json")
            guard FileSystem.exists(auditPath) else {
                v.differences.append("\(label) is missing: audit.json lists it as kept")
                continue
            }
            if let recorded = entry.auditSHA256, let now = try? SampleRunner.fileSHA256(auditPath), now != recorded {
                v.differences.append("\(label): its audit.json is not the one recorded when it was replaced (\(recorded.prefix(12))… → \(now.prefix(12))…)")
            }
            let (k, _) = try checkOne(directory: folder, runDirectory: nil, threads: threads)
            v.changedInputs += k.changedInputs.map { "\(label): \($0)" }
            v.differences += k.differences.map { "\(label): \($0)" }
            let when = entry.drawnAt.map { " drawn \($0)," } ?? ""
            v.notes.append("\(label):\(when) \(k.identical ? "identical" : "not identical")")
        }
        let listed = Set(kept.map(\.directory))
        for name in FileSystem.list(FileSystem.join(directory, SampleHistory.folder)).sorted()
        where !listed.contains(FileSystem.join(SampleHistory.folder, name)) {
            v.differences.append("\(SampleHistory.folder)/\(name) is not listed in audit.json's draws")
        }
        if let current = audit.draws?.last, audit.draws!.count > 1 {
            v.notes.append(
                "draw \(current.seq) (current):" + (current.drawnAt.map { " drawn \($0)," } ?? "") + " redrawn because: \(current.reason ?? "?")")
        }
        if draw != nil {
            draw!.earlierDraws = Array((audit.draws ?? []).dropLast())
            draw!.drawnAt = audit.draws?.last?.drawnAt
            draw!.redrawReason = audit.draws?.last?.reason
        }
        return (v, draw)
    }

    /// One draw (the current one of `directory`): inputs, re-run, replacements replayed, files compared,
    /// results.csv against the plan.
    static func checkOne(directory: String, runDirectory: String? = nil, threads: Int = 1) throws -> (SampleVerification, SampleDraw?) {
        let audit = try SampleAudit.read(FileSystem.join(directory, "audit.json"))
        var changed: [String] = []
        var differences: [String] = []
        let run = runDirectory ?? audit.run.directory
        // Files of the run's own pipeline copy move with the run when --run names it elsewhere.
        func relocated(_ path: String) -> String {
            let recorded = audit.run.directory.hasSuffix("/") ? audit.run.directory : audit.run.directory + "/"
            return run != audit.run.directory && path.hasPrefix(recorded) ? FileSystem.join(run, String(path.dropFirst(recorded.count))) : path
        }
        let pipelineFile = relocated(audit.pipelineFile)
        let itemsFile = relocated(audit.policy.items.file)

        // 1. Did anything the draw read change since?
        func check(_ what: String, _ path: String, _ recorded: String?) {
            guard let recorded else { return }
            guard FileSystem.exists(path) else {
                changed.append("\(what) \(path) is missing")
                return
            }
            let now = (try? SampleRunner.fileSHA256(path)) ?? "unreadable"
            if now != recorded { changed.append("\(what) \(path) changed since the draw (sha256 \(recorded.prefix(12))… → \(now.prefix(12))…)") }
        }
        check("run manifest", FileSystem.join(run, "manifest.json"), audit.run.manifestSHA256)
        check("run classes", FileSystem.join(run, "classes.csv"), audit.run.classesSHA256)
        check("run store", StoreFormat.path(run: run), audit.run.storeSHA256)
        check("run tags", FileSystem.join(run, "tags.csv"), audit.run.tagsSHA256)
        check("task file", audit.task.file, HexDigest.sha256(audit.task.text))
        if HexDigest.sha256(audit.task.text) != audit.task.sha256 {
            changed.append("the task text in audit.json does not match its recorded hash: the audit record was edited")
        }
        check("item list", itemsFile, audit.policy.items.sha256)
        check("inspector directory", audit.policy.inspectors.file, audit.policy.inspectors.sha256)
        if let h = audit.policy.history { check("inspection history", h.file, h.sha256) }
        if let m = try? Manifest.read(FileSystem.join(run, "manifest.json")), m.pipelineHash != audit.pipelineHash {
            changed.append("the run's pipeline hash \(m.pipelineHash.prefix(12))… is not the audit's \(audit.pipelineHash.prefix(12))…")
        }
        if let d = try? PipelineDefinition.load(pipelineFile) {
            if d.hash != audit.pipelineHash {
                changed.append("pipeline \(pipelineFile) changed since the draw (hash \(audit.pipelineHash.prefix(12))… → \(d.hash.prefix(12))…)")
            }
        } else {
            changed.append("pipeline \(pipelineFile) cannot be loaded")
        }

        // 2. Re-run the recorded draw, replay the recorded replacements, and compare.
        let request = SampleRequest(
            runDirectory: run, pipeline: pipelineFile, taskPath: audit.task.file,
            seed: audit.seedFromCommandLine ? audit.seed : nil, output: directory, inspectors: audit.policy.inspectors.file,
            history: audit.policy.history?.file, items: itemsFile, threads: threads, taskText: audit.task.text,
            revealedNonce: audit.seed)
        var draw: SampleDraw
        do {
            draw = try SampleRunner.draw(request)
        } catch {
            differences.append("the draw cannot be re-run: \(error)")
            return (SampleVerification(changedInputs: changed, differences: differences), nil)
        }
        if draw.seed != audit.seed { differences.append("seed: audit.json has '\(audit.seed)', the task gives '\(draw.seed)'") }
        var requests: [ReplacementRequest] = []
        for r in audit.replacements {
            guard let reason = ReplacementReason(rawValue: r.reason) else {
                differences.append("audit.json: replacement \(r.seq) has an unknown reason '\(r.reason)'")
                continue
            }
            requests.append(ReplacementRequest(uscc: r.uscc, reason: reason, note: r.note ?? ""))
        }
        do {
            try SampleReplacer.apply(requests, to: &draw)
        } catch {
            differences.append("the recorded replacements cannot be replayed: \(error)")
            return (SampleVerification(changedInputs: changed, differences: differences), nil)
        }
        draw.runPublishedAt = audit.run.publishedAt
        draw.runPublishedAtSource = audit.run.publishedAtSource
        draw.nonceFile = audit.seedCommitment?.nonceFile
        if let c = draw.commitment, audit.seedCommitment?.commitment != c.commitment {
            differences.append("audit.json: the seed commitment is not the task's (\(c.commitment.prefix(12))…)")
        }
        let scratch = FileSystem.join(NSTemporaryDirectory(), "digitag-verify-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let fresh = try SampleOutputs.write(draw, to: scratch)

        for (name, recorded) in [("plan.csv", audit.planSHA256), ("notice.csv", audit.noticeSHA256), ("ledger.csv", audit.ledgerSHA256)] {
            let path = FileSystem.join(directory, name)
            if FileSystem.exists(path), let now = try? SampleRunner.fileSHA256(path), now != recorded {
                differences.append("\(name): its sha256 is not the one audit.json records (\(recorded.prefix(12))… → \(now.prefix(12))…)")
            }
        }
        differences += compareCSV(
            "plan.csv", file: FileSystem.join(directory, "plan.csv"), rerun: FileSystem.join(scratch, "plan.csv"), key: "uscc")
        differences += compareCSV(
            "notice.csv", file: FileSystem.join(directory, "notice.csv"), rerun: FileSystem.join(scratch, "notice.csv"),
            key: SampleOutputs.noticeHeader[2])
        differences += compareCSV(
            "ledger.csv", file: FileSystem.join(directory, "ledger.csv"), rerun: FileSystem.join(scratch, "ledger.csv"), key: "uscc")
        differences += compareAudit(audit, fresh)
        differences += SampleHistory.checkResults(directory: directory, draw: draw)
        return (SampleVerification(changedInputs: changed, differences: differences), draw)
    }

    /// Row-by-row differences of two CSV files keyed by a column, then byte equality.
    static func compareCSV(_ name: String, file: String, rerun: String, key: String) -> [String] {
        guard FileSystem.exists(file) else { return ["\(name) is missing"] }
        let a: ReferenceTable
        let b: ReferenceTable
        do {
            a = try ReferenceTable.load(file, requiredColumns: [key])
            b = try ReferenceTable.load(rerun, requiredColumns: [key])
        } catch {
            return ["\(name) cannot be read: \(error)"]
        }
        var out: [String] = []
        if a.header != b.header {
            out.append("\(name): header is \(a.header.joined(separator: ",")), the re-run writes \(b.header.joined(separator: ","))")
            return out
        }
        let k = a.header.firstIndex(of: key)!
        let rowsA = Dictionary(a.rows.map { ($0[k], $0) }, uniquingKeysWith: { x, _ in x })
        let rowsB = Dictionary(b.rows.map { ($0[k], $0) }, uniquingKeysWith: { x, _ in x })
        if rowsA.count != a.rows.count { out.append("\(name): an enterprise is listed more than once") }
        for row in a.rows where rowsB[row[k]] == nil {
            out.append("\(name): \(row[k]) is in the file but was not drawn")
        }
        for row in b.rows where rowsA[row[k]] == nil {
            out.append("\(name): \(row[k]) was drawn but is not in the file")
        }
        for row in b.rows {
            guard let mine = rowsA[row[k]] else { continue }
            for (c, column) in a.header.enumerated() where mine[c] != row[c] {
                out.append("\(name): \(row[k]) \(column): the file has '\(mine[c])', the re-run gives '\(row[c])'")
            }
        }
        if out.isEmpty {
            if a.rows.map({ $0[k] }) != b.rows.map({ $0[k] }) {
                out.append("\(name): the same rows in a different order")
            } else if FileManager.default.contents(atPath: file) != FileManager.default.contents(atPath: rerun) {
                out.append("\(name): the same rows, but the bytes differ (quoting, line ends or byte-order mark)")
            }
        }
        return out
    }

    static func compareAudit(_ recorded: SampleAudit, _ fresh: SampleAudit) -> [String] {
        var out: [String] = []
        if recorded.drawn != fresh.drawn { out.append("audit.json: drawn \(recorded.drawn), the re-run draws \(fresh.drawn)") }
        for (x, y) in zip(recorded.replacements, fresh.replacements) where x != y {
            out.append(
                "audit.json: replacement \(x.seq) of \(x.uscc): recorded \(x.replacement) (stratum \(x.stratum), rank \(x.rank)); "
                    + "the re-run gives \(y.replacement) (stratum \(y.stratum), rank \(y.rank))")
        }
        if recorded.groups != fresh.groups { out.append("audit.json: the groups' sizes or totals differ from the re-run's") }
        if recorded.enterprisesInScope != fresh.enterprisesInScope {
            out.append("audit.json: \(recorded.enterprisesInScope) enterprises in scope, the re-run finds \(fresh.enterprisesInScope)")
        }
        for (x, y) in zip(recorded.classes, fresh.classes) where x != y {
            out.append(
                "audit.json: class \(x.riskClass): recorded size \(x.size), quota \(x.quota), drawn \(x.drawn); "
                    + "the re-run has size \(y.size), quota \(y.quota), drawn \(y.drawn)")
        }
        if recorded.classes.map(\.key) != fresh.classes.map(\.key) {
            out.append("audit.json: classes \(recorded.classes.map(\.key)), the re-run has \(fresh.classes.map(\.key))")
        }
        let a = Dictionary(recorded.strata.map { ($0.key, $0) }, uniquingKeysWith: { x, _ in x })
        let b = Dictionary(fresh.strata.map { ($0.key, $0) }, uniquingKeysWith: { x, _ in x })
        for key in Set(a.keys).union(b.keys).sorted() {
            switch (a[key], b[key]) {
            case (let x?, let y?) where x != y:
                out.append(
                    "audit.json: stratum \(key): recorded size \(x.size), quota \(x.quota), drawn \(x.drawn); "
                        + "the re-run has size \(y.size), quota \(y.quota), drawn \(y.drawn)")
            case (_?, nil): out.append("audit.json: stratum \(key) is recorded but does not exist in the re-run")
            case (nil, _?): out.append("audit.json: stratum \(key) exists in the re-run but is not recorded")
            default: break
            }
        }
        return out
    }
}
