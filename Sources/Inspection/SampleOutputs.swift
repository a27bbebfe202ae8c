import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
import RunModel
import Sampling

/// The files of a draw: `plan.csv` and `ledger.csv` (internal), `notice.csv` (public, 一公开) and `audit.json`.
///
/// The notice holds only what the public may see: the task, each enterprise's USCC and name, the items and
/// the departments. Never the class, score, reasons or tags, never a group, its rule or a stratum key (strata
/// are by class), never a ticket or a probability (a ticket above class A's cut-off, or a probability of 10%,
/// would reveal a higher class), never an inspector. Its rows are in USCC order, so even the order says
/// nothing about classes. The ledger is internal for the same reason: an inclusion probability reveals the
/// class.
public enum SampleOutputs {
    public static let planHeader = [
        "task_id", "uscc", "name", "region", "city", "class", "group", "stratum", "rank", "ticket", "probability", "status", "reason",
        "replaces", "items", "inspectors", "inspector_names",
    ]
    public static let noticeHeader = ["任务编号", "任务名称", "统一社会信用代码", "企业名称", "抽查事项", "检查部门"]
    public static let ledgerHeader = ["uscc", "group", "stratum", "weight", "probability", "drawn"]
    /// The files of a sample directory that may be published (一公开): the notice, and the results
    /// `digitag results import` writes. Every other file is internal.
    public static let publicFiles = ["notice.csv", "results.csv"]
    /// The internal files: they hold classes (plan), probabilities that reveal them (ledger, plan), group
    /// rules and strata (audit).
    public static let internalFiles = ["plan.csv", "ledger.csv", "audit.json"]

    /// Plan rows: by group and stratum, then rank; replaced enterprises stay (status `replaced`, no inspectors)
    /// and replacements follow the drawn in their stratum. `inspectors` reads `market=M1+M2|tax=T1+T2`.
    public static func planRows(_ d: SampleDraw) -> [[String]] {
        let names = Dictionary(d.roster.inspectors.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let groups = d.task.effectiveGroups
        let stratumOrder = Dictionary(uniqueKeysWithValues: d.result.strata.enumerated().map { ($1.key, $0) })
        var replacedBy: [String: ReplacementRequest] = [:]
        for r in d.replacements { replacedBy[r.request.uscc] = r.request }
        let rows: [(Selection, String)] =
            d.result.selections.map { ($0, "") } + d.replacements.map { ($0.selection, $0.request.uscc) }
        return rows.sorted { a, b in
            let (sa, sb) = (stratumOrder[a.0.stratum] ?? 0, stratumOrder[b.0.stratum] ?? 0)
            return sa != sb ? sa < sb : a.0.rank < b.0.rank
        }.map { s, replaces in
            let c = s.candidate
            let leaving = replacedBy[c.uscc]
            let teams = leaving == nil ? d.assignment.teams[c.uscc] ?? [] : []
            let status = leaving != nil ? "replaced" : replaces.isEmpty ? "drawn" : "replacement"
            let reason = leaving.map { $0.reason.rawValue + ($0.note.isEmpty ? "" : ": " + $0.note) } ?? ""
            return [
                d.task.id, c.uscc, c.name, c.region, c.city, c.riskClass, c.group >= 0 ? groups[c.group].id : "", s.stratum,
                String(s.rank), s.ticket.hex, probabilityText(s.probability), status, reason, replaces,
                d.task.items.joined(separator: ";"),
                teams.map { "\($0.department)=" + $0.inspectors.joined(separator: "+") }.joined(separator: "|"),
                teams.map { t in
                    (d.departmentNames[t.department] ?? t.department) + "："
                        + t.inspectors.map { "\($0) \(names[$0] ?? "")" }.joined(separator: "、")
                }.joined(separator: "；"),
            ]
        }
    }

    /// The enterprises to inspect now: the drawn ones not replaced, and the replacements.
    public static func currentSelections(_ d: SampleDraw) -> [Selection] {
        let replaced = Set(d.replacements.map(\.request.uscc))
        return d.result.selections.filter { !replaced.contains($0.candidate.uscc) } + d.replacements.map(\.selection).filter {
            !replaced.contains($0.candidate.uscc)
        }
    }

    /// Notice rows: by USCC, public fields only, the enterprises to inspect now.
    public static func noticeRows(_ d: SampleDraw) -> [[String]] {
        let items = d.items.map(\.nameZh).joined(separator: "；")
        var departments: [String] = []
        for item in d.items where !departments.contains(item.department) { departments.append(item.department) }
        let departmentText = departments.map { d.departmentNames[$0] ?? $0 }.joined(separator: "、")
        return currentSelections(d).map(\.candidate).sorted { $0.uscc < $1.uscc }.map { c in
            [d.task.id, d.task.publishedTitle, c.uscc, c.name, items, departmentText]
        }
    }

    /// Ledger rows: every enterprise in scope, by USCC, with its group, stratum and inclusion probability.
    public static func ledgerRows(_ d: SampleDraw) -> [[String]] {
        let groups = d.task.effectiveGroups
        return d.result.ledger.sorted { d.candidates[$0.index].uscc < d.candidates[$1.index].uscc }.map { e in
            let c = d.candidates[e.index]
            let weighted = e.group >= 0 && groups[e.group].isWeighted
            return [
                c.uscc, e.group >= 0 ? groups[e.group].id : "", e.stratum >= 0 ? d.result.strata[e.stratum].key : "",
                weighted ? ValueFormat.number(c.weight) : "", probabilityText(e.probability), e.drawn ? "1" : "0",
            ]
        }
    }

    /// A probability as its shortest exact decimal (`0.014`, `0.0237…`), whole numbers without a point.
    public static func probabilityText(_ p: Double) -> String {
        if p == 0 { return "0" }
        if p == 1 { return "1" }
        return p.description
    }

    /// Writes the four files into `directory` (each written beside its final name, then renamed).
    @discardableResult
    public static func write(_ d: SampleDraw, to directory: String) throws -> SampleAudit {
        try FileSystem.createDirectory(directory)
        let planSHA = try writeCSV(FileSystem.join(directory, "plan.csv"), header: planHeader, rows: planRows(d))
        let noticeSHA = try writeCSV(FileSystem.join(directory, "notice.csv"), header: noticeHeader, rows: noticeRows(d))
        let ledgerSHA = try writeCSV(FileSystem.join(directory, "ledger.csv"), header: ledgerHeader, rows: ledgerRows(d))
        let audit = auditRecord(d, directory: directory, planSHA256: planSHA, noticeSHA256: noticeSHA, ledgerSHA256: ledgerSHA)
        try FileSystem.writeAtomically(try audit.encoded(), to: FileSystem.join(directory, "audit.json"))
        return audit
    }

    /// Writes beside `path`, then renames: a reader sees the old file or the new one, never half of one.
    /// - Parameter forPeople: a byte-order mark and formula-safe text cells (plan, notice, ledger, results);
    ///   false for files digitag reads back as input.
    static func writeCSV(_ path: String, header: [String], rows: [[String]], forPeople: Bool = true) throws -> String {
        let tmp = path + ".tmp"
        let w = try CSVWriter(path: tmp, header: header, bom: forPeople, formulaSafe: forPeople)
        for r in rows { try w.row(r) }
        try w.close()
        let sha = try SampleRunner.fileSHA256(tmp)
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: tmp, toPath: path)
        return sha
    }

    /// Quotes an argument for a POSIX shell when it needs it.
    static func shellQuoted(_ s: String) -> String {
        let safe = s.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || "0123456789-_./:=@%+,".unicodeScalars.contains($0)) }
        return safe && !s.isEmpty ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func quotaText(_ q: Allocation.Quota) -> String {
        guard q.remainder > 0 else { return String(q.whole) }
        var frac = String(q.remainder)
        frac = String(repeating: "0", count: q.scale - frac.count) + frac
        while frac.hasSuffix("0") { frac.removeLast() }
        return "\(q.whole).\(frac)"
    }

    static func auditRecord(_ d: SampleDraw, directory: String, planSHA256: String, noticeSHA256: String, ledgerSHA256: String) -> SampleAudit {
        let taskSHA = HexDigest.sha256(d.task.sourceText)
        let policyText = [
            "task \(taskSHA)", "items \(d.itemsFile.sha256)", "inspectors \(d.inspectorsFile.sha256)",
            "history \(d.historyFile?.sha256 ?? "none")",
        ].joined(separator: "\n")
        var command = ["digitag", "sample", "--run", d.runDirectory, "--pipeline", d.request.pipeline, "--task", d.taskPath]
        if d.seedFromCommandLine { command += ["--seed", d.seed] }
        command += ["--items", d.itemsFile.file, "--inspectors", d.inspectorsFile.file]
        if let h = d.historyFile { command += ["--history", h.file] }
        command += ["--out", directory]
        let rules = d.task.inspection
        var departments: [SampleAudit.Department] = []
        for (department, items) in Assignment.departments(d.items) {
            let ids = Set(d.roster.inspectors.filter { $0.department == department }.map(\.id))
            let loads = d.assignment.loads.filter { ids.contains($0.key) }
            departments.append(
                .init(
                    department: department, items: items, inspectorsPerEnterprise: rules.perDepartment, inspectorsUsed: loads.count,
                    highestLoad: loads.values.max() ?? 0))
        }
        let groups = d.task.effectiveGroups
        var method: [String: String] = [
            "ticket": "SHA-256(seed ␟ task_id ␟ uscc) with ␟ = 0x1F; in each stratum of a group without weights the lowest tickets are drawn (ties by USCC)",
            "strata": d.task.declaresGroups
                ? "per group: its strata keys (stratum key: group id, then the values joined by '/')"
                : d.task.strata.joined(separator: " × ") + " (stratum key: values joined by '/')",
            "allocation":
                "groups without weights: quota = size × ratio exactly; total = sum of the group's quotas rounded half up; level 1: "
                + "each class gets the whole part of its quota and the units missing to the total go to classes with a remainder; "
                + "level 2: within a class each stratum gets the whole part of its quota and the units missing to the class total go "
                + "to strata with a remainder; keyed rounding ranks remainders by u(1−f)/((1−u)f) ascending (ties by key order), "
                + "f = remainder, u = SHA-256(seed ␟ task_id ␟ \"class\" ␟ class) (class key 'group/class' in a task with groups) "
                + "or SHA-256(seed ␟ task_id ␟ \"stratum\" ␟ key), first 53 bits / 2^53; largest_remainder ranks by the largest "
                + "remainder, ties to the first in key order; then min_per_stratum and max_per_stratum",
            "probability":
                "groups without weights: the stratum's quota after min/max ÷ its size; weighted groups: "
                + "π = min(1, max(floor, c·weight)) with c such that Σπ over the stratum = its quota after min/max",
            "assignment":
                "enterprises in ticket order; per department \(rules.perDepartment) distinct inspectors of the department qualified "
                + "for all its items, from pool \(rules.pool.map(\.rawValue).joined(separator: " then ")); avoided: declared conflicts, "
                + "the inspectors of the last inspection" + (rules.avoidSameCounty ? ", inspectors based in the enterprise's county" : "")
                + "; cap min(max_load, \(rules.maxLoad.map(String.init) ?? "none")); ranked by pool level, current load, "
                + "SHA-256(seed ␟ task_id ␟ uscc ␟ inspector_id), inspector id; swaps only when every eligible inspector is at its cap",
            "replacement":
                "the next enterprise in the replaced one's stratum order (lowest ticket; weighted groups: lowest u ÷ π, u = the "
                + "ticket's first 53 bits / 2^53) not drawn or used yet; its inspectors are chosen like anyone's given the "
                + "current loads, without moving other teams",
        ]
        if groups.contains(where: \.isWeighted) {
            method["weighted"] =
                "Poisson sampling: an enterprise of a weighted group is drawn iff u < π, u = the ticket's first 53 bits / 2^53"
        }
        let stratumGroup = { (g: Int) in d.task.declaresGroups ? groups[g].id : nil }
        var audit = SampleAudit(
            task: .init(
                id: d.task.id, nameZh: d.task.nameZh, publicTitle: d.task.publishedTitle, file: d.taskPath, sha256: taskSHA,
                text: d.task.sourceText),
            seed: d.seed, seedOrigin: d.seedOrigin, seedFromCommandLine: d.seedFromCommandLine, pipelineFile: d.request.pipeline,
            pipelineHash: d.pipelineHash,
            run: .init(
                directory: d.runDirectory, asOf: d.asOf, manifestSHA256: d.manifestSHA256, classesSHA256: d.classesSHA256,
                storeSHA256: d.storeSHA256),
            policy: .init(
                items: d.itemsFile, inspectors: d.inspectorsFile, history: d.historyFile,
                sha256: HexDigest.sha256(policyText)),
            method: method, enterprisesInRun: d.enterprisesInRun, enterprisesInScope: d.enterprisesInScope,
            totalByRatio: d.result.totalByRatio, expected: rounded(d.result.groups.reduce(0) { $0 + $1.expected }),
            drawn: d.result.selections.count, replaced: d.replacements.count, floor: d.task.floor?.description,
            exemptReason: d.task.exemptReason,
            groups: d.task.declaresGroups
                ? d.result.groups.map { t in
                    let g = groups[t.group]
                    return .init(
                        id: g.id, nameZh: g.nameZh, rule: g.rule?.expression, rest: g.isRest, ratios: g.ratios.text, strata: g.strata,
                        weight: g.weight?.expression, size: t.size, expected: rounded(t.expected), drawn: t.drawn)
                } : nil,
            classes: d.result.classes.map {
                .init(
                    key: $0.key, group: stratumGroup($0.group), riskClass: $0.riskClass, size: $0.size, ratio: $0.ratio.description,
                    quota: quotaText($0.quota), lottery: $0.quota.remainder > 0 ? $0.lottery : nil, expected: nil, scale: nil,
                    drawn: $0.drawn)
            },
            strata: d.result.strata.map {
                .init(
                    key: $0.key, group: stratumGroup($0.group), riskClass: $0.riskClass, size: $0.size, ratio: $0.ratio.description,
                    quota: quotaText($0.quota), lottery: $0.quota.remainder > 0 ? $0.lottery : nil, expected: rounded($0.expected),
                    scale: $0.scale, drawn: $0.drawn)
            },
            departments: departments, swaps: d.assignment.swaps,
            replacements: d.replacements.enumerated().map { i, r in
                .init(
                    seq: i + 1, uscc: r.request.uscc, reason: r.request.reason.rawValue, note: r.request.note.isEmpty ? nil : r.request.note,
                    replacement: r.selection.candidate.uscc, stratum: r.selection.stratum, rank: r.selection.rank,
                    ticket: r.selection.ticket.hex)
            },
            planSHA256: planSHA256, noticeSHA256: noticeSHA256, ledgerSHA256: ledgerSHA256,
            rerun: command.map(shellQuoted).joined(separator: " "),
            verify: "digitag sample verify " + shellQuoted(directory))
        audit.run.publishedAt = d.runPublishedAt
        audit.run.publishedAtSource = d.runPublishedAtSource
        audit.seedCommitment = d.commitment.map { .init(commitment: $0.commitment, committedAt: $0.committedAt, nonceFile: d.nonceFile) }
        audit.draws = SampleHistory.entries(d)
        return audit
    }

    /// Sums of probabilities to 9 decimals: enough to check by hand, and free of the last bits of summation order.
    static func rounded(_ x: Double) -> Double { (x * 1e9).rounded() / 1e9 }
}
