import DigiTagBase
import DigiTagIO
import Foundation
import Sampling

/// The files of a draw: `plan.csv` (internal), `notice.csv` (public, 一公开) and `audit.json`.
///
/// The notice holds only what the public may see: the task, each enterprise's USCC and name, the items and
/// the departments. Never the class, score, reasons or tags, never a stratum key (strata are by class) or a
/// ticket (a ticket above class A's cut-off would reveal a higher class), never an inspector. Its rows are in
/// USCC order, so even the order says nothing about classes.
public enum SampleOutputs {
    public static let planHeader = [
        "task_id", "uscc", "name", "region", "city", "class", "stratum", "rank", "ticket", "items", "inspectors", "inspector_names",
    ]
    public static let noticeHeader = ["任务编号", "任务名称", "统一社会信用代码", "企业名称", "抽查事项", "检查部门"]

    /// Plan rows: by stratum, then rank. `inspectors` reads `market=M1+M2|tax=T1+T2`.
    public static func planRows(_ d: SampleDraw) -> [[String]] {
        let names = Dictionary(d.roster.inspectors.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        return d.result.selections.map { s in
            let c = s.candidate
            let teams = d.assignment.teams[c.uscc] ?? []
            return [
                d.task.id, c.uscc, c.name, c.region, c.city, c.riskClass, s.stratum, String(s.rank), s.ticket.hex,
                d.task.items.joined(separator: ";"),
                teams.map { "\($0.department)=" + $0.inspectors.joined(separator: "+") }.joined(separator: "|"),
                teams.map { t in
                    (d.departmentNames[t.department] ?? t.department) + "："
                        + t.inspectors.map { "\($0) \(names[$0] ?? "")" }.joined(separator: "、")
                }.joined(separator: "；"),
            ]
        }
    }

    /// Notice rows: by USCC, public fields only.
    public static func noticeRows(_ d: SampleDraw) -> [[String]] {
        let items = d.items.map(\.nameZh).joined(separator: "；")
        var departments: [String] = []
        for item in d.items where !departments.contains(item.department) { departments.append(item.department) }
        let departmentText = departments.map { d.departmentNames[$0] ?? $0 }.joined(separator: "、")
        return d.result.selections.map(\.candidate).sorted { $0.uscc < $1.uscc }.map { c in
            [d.task.id, d.task.nameZh, c.uscc, c.name, items, departmentText]
        }
    }

    /// Writes the three files into `directory` (each written beside its final name, then renamed).
    @discardableResult
    public static func write(_ d: SampleDraw, to directory: String) throws -> SampleAudit {
        try FileSystem.createDirectory(directory)
        let planSHA = try writeCSV(FileSystem.join(directory, "plan.csv"), header: planHeader, rows: planRows(d))
        let noticeSHA = try writeCSV(FileSystem.join(directory, "notice.csv"), header: noticeHeader, rows: noticeRows(d))
        let audit = auditRecord(d, directory: directory, planSHA256: planSHA, noticeSHA256: noticeSHA)
        try FileSystem.writeAtomically(try audit.encoded(), to: FileSystem.join(directory, "audit.json"))
        return audit
    }

    static func writeCSV(_ path: String, header: [String], rows: [[String]]) throws -> String {
        let tmp = path + ".tmp"
        let w = try CSVWriter(path: tmp, header: header, bom: true)
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

    static func auditRecord(_ d: SampleDraw, directory: String, planSHA256: String, noticeSHA256: String) -> SampleAudit {
        let taskSHA = SampleRunner.sha256(Data(d.task.sourceText.utf8))
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
        let method: [String: String] = [
            "ticket": "SHA-256(seed ␟ task_id ␟ uscc) with ␟ = 0x1F; in each stratum the lowest tickets are drawn (ties by USCC)",
            "strata": d.task.strata.joined(separator: " × ") + " (stratum key: values joined by '/')",
            "allocation":
                "quota = size × ratio exactly; total = sum of all quotas rounded half up; level 1: each class gets the whole "
                + "part of its quota and the units missing to the total go to classes with a remainder; level 2: within a class "
                + "each stratum gets the whole part of its quota and the units missing to the class total go to strata with a "
                + "remainder; "
                + (d.task.rounding == .keyed
                    ? "both levels rank remainders by u(1−f)/((1−u)f) ascending (ties by key order), f = remainder, "
                        + "u = SHA-256(seed ␟ task_id ␟ \"class\" ␟ class) or SHA-256(seed ␟ task_id ␟ \"stratum\" ␟ key), "
                        + "first 53 bits / 2^53"
                    : "both levels rank by the largest remainder, ties to the first in key order")
                + "; then min_per_stratum \(d.task.minimumPerStratum)"
                + (d.task.maximumPerStratum.map { ", max_per_stratum \($0)" } ?? ""),
            "assignment":
                "enterprises in ticket order; per department \(rules.perDepartment) distinct inspectors of the department qualified "
                + "for all its items, from pool \(rules.pool.map(\.rawValue).joined(separator: " then ")); avoided: declared conflicts, "
                + "the inspectors of the last inspection" + (rules.avoidSameCounty ? ", inspectors based in the enterprise's county" : "")
                + "; cap min(max_load, \(rules.maxLoad.map(String.init) ?? "none")); ranked by pool level, current load, "
                + "SHA-256(seed ␟ task_id ␟ uscc ␟ inspector_id), inspector id; swaps only when every eligible inspector is at its cap",
        ]
        return SampleAudit(
            task: .init(id: d.task.id, nameZh: d.task.nameZh, file: d.taskPath, sha256: taskSHA, text: d.task.sourceText),
            seed: d.seed, seedOrigin: d.seedOrigin, seedFromCommandLine: d.seedFromCommandLine, pipelineFile: d.request.pipeline,
            pipelineHash: d.pipelineHash,
            run: .init(
                directory: d.runDirectory, asOf: d.asOf, manifestSHA256: d.manifestSHA256, classesSHA256: d.classesSHA256,
                tagsSHA256: d.tagsSHA256),
            policy: .init(
                items: d.itemsFile, inspectors: d.inspectorsFile, history: d.historyFile,
                sha256: SampleRunner.sha256(Data(policyText.utf8))),
            method: method, enterprisesInRun: d.enterprisesInRun, enterprisesInScope: d.enterprisesInScope,
            totalByRatio: d.result.totalByRatio, drawn: d.result.selections.count,
            classes: d.result.classes.map {
                .init(
                    key: $0.riskClass, riskClass: $0.riskClass, size: $0.size, ratio: $0.ratio.description, quota: quotaText($0.quota),
                    lottery: $0.quota.remainder > 0 ? $0.lottery : nil, drawn: $0.drawn)
            },
            strata: d.result.strata.map {
                .init(
                    key: $0.key, riskClass: $0.riskClass, size: $0.size, ratio: $0.ratio.description, quota: quotaText($0.quota),
                    lottery: $0.quota.remainder > 0 ? $0.lottery : nil, drawn: $0.drawn)
            },
            departments: departments, swaps: d.assignment.swaps, planSHA256: planSHA256, noticeSHA256: noticeSHA256,
            rerun: command.map(shellQuoted).joined(separator: " "),
            verify: "digitag sample verify " + shellQuoted(directory))
    }
}
