import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
import Inspection
import TestSupport
import Testing

/// The whole loop through the built `digitag`, as a regulator runs it: run → draw a task with targeted groups →
/// replace two enterprises → import the inspection results → the next run's inspection tags change. Then
/// every public file is scanned for anything internal.
@Suite(.serialized) struct SampleRunnerResultsTests {
    static let pipeline = TestPaths.repo("Pipelines/shandong.yaml")
    static let task = TestPaths.repo("Pipelines/tasks/targeted-2025.yaml")

    static func digitag(_ arguments: [String], in directory: String = TestPaths.repositoryRoot) throws -> ProcessRunner.Result {
        try ProcessRunner.run(ProcessRunner.digitag, arguments, in: directory)
    }

    static func run(input: String, asOf: String, out: String) throws -> String {
        let r = try digitag(["run", "--pipeline", pipeline, "--input", input, "--as-of", asOf, "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        return out + "/" + asOf
    }

    static func rows(_ path: String) throws -> [[String: String]] {
        let t = try ReferenceTable.load(path, requiredColumns: [])
        return t.rows.indices.map { t.record($0) }
    }

    @Test func drawReplaceImportAndTheNextRunReadsTheResults() throws {
        let work = TestPaths.temporaryDirectory("results-e2e")
        let input = work + "/input"
        try FileManager.default.copyItem(atPath: TestPaths.repo("SampleData"), toPath: input)
        let run = try Self.run(input: input, asOf: "2024-12-31", out: work + "/runs")
        let sample = work + "/sample"

        let draw = try Self.digitag(["sample", "--run", run, "--pipeline", Self.pipeline, "--task", Self.task, "--out", sample])
        #expect(draw.status == 0, "\(draw.stderr)")
        #expect(draw.stdout.contains("group capital-no-tax:") && draw.stdout.contains("group general:"))
        let plan = try Self.rows(sample + "/plan.csv")
        let general = plan.filter { $0["group"] == "general" }.map { $0["uscc"]! }
        let signals = plan.filter { $0["group"] == "unchecked-signals" }.map { $0["uscc"]! }
        #expect(general.count > 5 && signals.count > 1)

        // Two replacements, one unreachable; a wrong request changes nothing.
        let r1 = try Self.digitag(["sample", "replace", sample, "--uscc", general[0], "--reason", "deregistered"])
        #expect(r1.status == 0 && r1.stdout.contains("replaced \(general[0]) (deregistered) with "), "\(r1.stdout)\(r1.stderr)")
        let r2 = try Self.digitag(["sample", "replace", sample, "--uscc", signals[0], "--reason", "unreachable"])
        #expect(r2.status == 0, "\(r2.stderr)")
        let wrong = try Self.digitag(["sample", "replace", sample, "--uscc", general[0], "--reason", "revoked"])
        #expect(wrong.status == 3 && wrong.stderr.contains("was already replaced"), "\(wrong.stderr)")
        let typo = try Self.digitag(["sample", "replace", sample, "--uscc", general[1], "--reason", "deregisterd"])
        #expect(typo.status == 64 && typo.stderr.contains("did you mean 'deregistered'?"), "\(typo.stderr)")
        let verify = try Self.digitag(["sample", "verify", sample])
        #expect(verify.status == 0 && verify.stdout.contains("identical"), "\(verify.stdout)")

        // Results: bad ones first (exit 3, every problem with its line and field, nothing written) …
        let notice = try Self.rows(sample + "/notice.csv").map { $0["统一社会信用代码"]! }
        let bad = TestPaths.write(
            """
            uscc,item,inspected_on,completed_on,results,remark
            \(notice[0]),anual_report,2025-02-10,2025-02-12,corrected,
            \(notice[1]),annual_report,2024-12-01,2025-02-12,no_problem,
            \(notice[2]),annual_report,2025-02-10,2025-02-08,no_problem;corrected,
            \(general[0]),annual_report,2025-02-10,2025-02-12,no_problem,
            91370102HANDMADE1C,annual_report,2025-02-10,2025-02-12,no_problem,
            \(notice[3]),annual_report,2025-02-10,2025-02-12,corected,
            \(notice[3]),annual_report,2025-02-10,2025-02-12,no_problem,

            """, to: work, "bad.csv")
        let refused = try Self.digitag(["results", "import", sample, "--file", bad])
        #expect(refused.status == 3)
        for expected in [
            "bad.csv:1:6: error: unknown column 'remark'",
            "bad.csv:2:2: error: item: 'anual_report' is not an item of task SD-2025-TGT-01 (did you mean 'annual_report'?)",
            "bad.csv:3:3: error: inspected_on: 2024-12-01 is not after the run the sample was drawn from (as of 2024-12-31)",
            "bad.csv:4:4: error: completed_on: 2025-02-08 is before inspected_on 2025-02-10",
            "bad.csv:4:5: error: results: 'no_problem' cannot be combined with other results",
            "bad.csv:5:1: error: uscc: \(general[0]) was replaced (deregistered): it was not inspected",
            "bad.csv:6:1: error: uscc: 91370102HANDMADE1C was not drawn in task SD-2025-TGT-01",
            "bad.csv:7:5: error: results: unknown result 'corected' (did you mean 'corrected'?",
            "bad.csv:8: error: \(notice[3]) annual_report already has a result on line 7",
        ] {
            #expect(refused.stderr.contains(expected), "missing: \(expected)\nin:\n\(refused.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: sample + "/results.csv"))
        #expect(!FileManager.default.fileExists(atPath: input + "/market/inspections-SD-2025-TGT-01.csv"))

        // … then good ones: several results in one inspection, the published wording, and the unreachable one.
        let imported = Array(notice.prefix(6))
        let results = TestPaths.write(
            """
            uscc,item,inspected_on,completed_on,results
            \(imported[0]),annual_report,2025-02-10,2025-02-12,corrected;not_published
            \(imported[1]),annual_report,2025-02-11,2025-02-13,未发现问题
            \(imported[2]),annual_report,2025-02-12,2025-02-14,not_cooperating
            \(imported[3]),annual_report,2025-02-13,2025-02-14,activity_not_found
            \(imported[4]),annual_report,2025-02-14,2025-02-17,referred；corrected
            \(imported[5]),annual_report,2025-02-17,2025-02-21,no_problem
            \(signals[0]),annual_report,2025-02-11,2025-02-11,unreachable

            """, to: work, "results.csv")
        let ok = try Self.digitag(["results", "import", sample, "--file", results])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("7 inspected items of 7 enterprises imported"), "\(ok.stdout)")
        let published = try Self.rows(sample + "/results.csv")
        #expect(published.count == 7)
        let first = try #require(published.first { $0["统一社会信用代码"] == imported[0] })
        #expect(first["检查结果"] == "发现问题已责令改正；未按规定公示应当公示的信息")
        #expect(first["检查日期"] == "2025-02-10" && first["检查完成日期"] == "2025-02-12")
        #expect(first["公示截止日期"] == "2025-03-12", "20 working days after Wednesday 12 February 2025")
        let records = try Self.rows(input + "/market/inspections-SD-2025-TGT-01.csv")
        #expect(records.count == 9, "one record per result code")
        #expect(records.filter { $0["uscc"] == imported[0] }.map { $0["result"]! } == ["corrected", "not_published"])

        // A row with the wrong number of fields does not hide the problems of the rows after it (issue #13) …
        let ragged = TestPaths.write(
            """
            uscc,item,inspected_on,completed_on,results
            \(imported[0]),annual_report,2025-02-10
            \(imported[1]),anual_report,2025-02-11,2025-02-13,no_problem
            \(imported[2]),annual_report,2025-02-12,2025-02-14,no_problem,extra
            \(imported[3]),annual_report,2025-02-13,2025-02-14,corected

            """, to: work, "ragged.csv")
        let raggedRefused = try Self.digitag(["results", "import", sample, "--file", ragged])
        #expect(raggedRefused.status == 3)
        for expected in [
            "ragged.csv:2: error: expected 5 fields (uscc,item,inspected_on,completed_on,results), found 3",
            "ragged.csv:3:2: error: item: 'anual_report' is not an item of task SD-2025-TGT-01",
            "ragged.csv:4: error: expected 5 fields (uscc,item,inspected_on,completed_on,results), found 6",
            "ragged.csv:5:5: error: results: unknown result 'corected'",
        ] {
            #expect(raggedRefused.stderr.contains(expected), "missing: \(expected)\nin:\n\(raggedRefused.stderr)")
        }
        // … dates after today are refused (today is a parameter; the command reads the clock) …
        let future = TestPaths.write(
            """
            uscc,item,inspected_on,completed_on,results
            \(imported[0]),annual_report,2025-02-10,2025-02-13,no_problem
            \(imported[1]),annual_report,2025-02-13,2025-02-13,no_problem
            \(imported[2]),annual_report,2025-02-12,2025-02-12,no_problem

            """, to: work, "future.csv")
        do {
            _ = try ResultsImporter.run(ResultsImportRequest(sample: sample, results: future, today: Day(iso: "2025-02-12")!))
            Issue.record("an inspection dated after today was imported")
        } catch let e as any DigitagError {
            let text = e.report.joined(separator: "\n")
            #expect(text.contains("future.csv:2:4: error: completed_on: 2025-02-13 is after today (2025-02-12)"), "\(text)")
            #expect(text.contains("future.csv:3:3: error: inspected_on: 2025-02-13 is after today (2025-02-12)"), "\(text)")
            #expect(!text.contains("future.csv:4:"), "\(text)")
        }
        // … and a header-only file does not silently clear what was imported: it is refused, nothing changes.
        let headerOnly = TestPaths.write("uscc,item,inspected_on,completed_on,results\n", to: work, "header-only.csv")
        let cleared = try Self.digitag(["results", "import", sample, "--file", headerOnly])
        #expect(cleared.status == 3)
        #expect(
            cleared.stderr.contains(
                "header-only.csv: error: the file has no result rows, only a header: importing it would clear the 7 results imported earlier"),
            "\(cleared.stderr)")
        #expect(try Self.rows(sample + "/results.csv").count == 7)
        #expect(try Self.rows(input + "/market/inspections-SD-2025-TGT-01.csv").count == 9)

        // The next run reads the records: compare with the same night without them.
        let after = try Self.run(input: input, asOf: "2025-03-31", out: work + "/after")
        let plain = work + "/plain"
        try FileManager.default.copyItem(atPath: TestPaths.repo("SampleData"), toPath: plain)
        let before = try Self.run(input: plain, asOf: "2025-03-31", out: work + "/before")
        let tagsAfter = try Self.tags(after)
        let tagsBefore = try Self.tags(before)
        for u in imported + [signals[0]] {
            let added = records.filter { $0["uscc"] == u }
            let count = { (t: [String: [String: String]]) in Int(t[u]!["inspection.count.1y"]!)! }
            #expect(count(tagsAfter) == count(tagsBefore) + added.count, "\(u): inspection.count.1y")
            #expect(tagsAfter[u]!["inspection.any.1y"] == "1")
            #expect(added.map { $0["result"]! }.contains(tagsAfter[u]!["inspection.last_result"]!), "\(u)")
        }
        #expect(tagsBefore[signals[0]]!["inspection.result.unreachable.1y"] == "0")
        #expect(tagsAfter[signals[0]]!["inspection.result.unreachable.1y"] == "1")
        #expect(tagsAfter[imported[2]]!["inspection.result.not_cooperating.1y"] == "1")
        // Drawn with certainty (the 100% group) counts as a targeted inspection, otherwise as a random one.
        let certain = plan.filter { $0["probability"] == "1" }.map { $0["uscc"]! }
        for r in records { #expect(r["random"] == (certain.contains(r["uscc"]!) ? "N" : "Y")) }

        try Self.scanPublicFiles(sample: sample, run: run)

        // Clearing a task's results is an explicit act.
        let replaced = try Self.digitag(["results", "import", sample, "--file", headerOnly, "--replace-all"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(try Self.rows(sample + "/results.csv").isEmpty)
        #expect(try Self.rows(input + "/market/inspections-SD-2025-TGT-01.csv").isEmpty)
    }

    static func tags(_ run: String) throws -> [String: [String: String]] {
        let wanted = [
            "inspection.count.1y", "inspection.any.1y", "inspection.last_result", "inspection.result.unreachable.1y",
            "inspection.result.not_cooperating.1y",
        ]
        let t = try ReferenceTable.load(run + "/tags.csv", requiredColumns: ["uscc"] + wanted)
        let columns = wanted.map { ($0, t.header.firstIndex(of: $0)!) }
        var out: [String: [String: String]] = [:]
        for row in t.rows { out[row[0]] = Dictionary(uniqueKeysWithValues: columns.map { ($0.0, row[$0.1]) }) }
        return out
    }

    /// No public file contains the class, score, reasons, a group, its rule or anything else internal.
    static func scanPublicFiles(sample: String, run: String) throws {
        // Every file of the sample directory is classified: a new file cannot slip out unexamined.
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: sample))
        #expect(files == Set(SampleOutputs.publicFiles + SampleOutputs.internalFiles), "\(files.sorted())")

        let plan = try rows(sample + "/plan.csv")
        let audit = try SampleAudit.read(sample + "/audit.json")
        let classes = try rows(run + "/classes.csv")
        let names = Dictionary(uniqueKeysWithValues: plan.map { ($0["uscc"]!, $0["name"]!) })
        var secrets: [String] = []
        for g in audit.groups ?? [] {
            secrets += [g.id, g.nameZh] + [g.rule, g.weight].compactMap { $0 }
            // Every tag a rule names, and its last part ("shell_like").
            for expression in [g.rule, g.weight].compactMap({ $0 }) {
                for word in expression.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "." && $0 != "_" })
                where word.contains(".") {
                    secrets += [String(word), String(word.split(separator: ".").last!)]
                }
            }
        }
        secrets += audit.strata.map(\.key).filter { $0.contains("/") }
        secrets += plan.flatMap { [$0["ticket"]!, $0["stratum"]!] }
        secrets += plan.flatMap { ($0["inspectors"]!.split(whereSeparator: { "=+|".contains($0) })).map(String.init) }.filter { $0.count > 6 }
        let drawn = Set(plan.map { $0["uscc"]! })
        for c in classes where drawn.contains(c["uscc"]!) {
            secrets += [c["reasons"]!, c["reasons_zh"]!, c["reasons_en"]!].filter { !$0.isEmpty }
            secrets += c["reasons"]!.components(separatedBy: "; ").filter { !$0.isEmpty }
        }
        // (信用 is not on the list: it is part of 统一社会信用代码, the USCC's own name.)
        secrets += ["低风险", "一般风险", "较高风险", "高风险", "风险", "等级", "分值", "分类", "概率", "权重", "定向"]
        // The task's internal name, where it differs from its public title.
        if audit.task.publicTitle != audit.task.nameZh { secrets.append(audit.task.nameZh) }
        let words = [
            "class", "score", "reason", "group", "stratum", "ticket", "probability", "weight", "inspector", "ledger", "rule",
            "targeted", "capital", "signals", "exempt",
        ]
        let publicHeaders = ["notice.csv": SampleOutputs.noticeHeader, "results.csv": ResultsImporter.publicHeader]
        for file in SampleOutputs.publicFiles {
            let path = sample + "/" + file
            let text = TestPaths.read(path)
            #expect(!text.isEmpty, "\(file) was written")
            for s in Set(secrets) where !s.isEmpty { #expect(!text.contains(s), "\(file) reveals '\(s)'") }
            for w in words { #expect(!text.lowercased().contains(w), "\(file) contains '\(w)'") }
            // Column by column, only what the public may see.
            let table = try ReferenceTable.load(path, requiredColumns: [])
            #expect(table.header == publicHeaders[file]!, "\(file) header")
            for r in table.rows.indices {
                let f = table.record(r)
                #expect(f["任务编号"] == audit.task.id && f["任务名称"] == audit.task.publicTitle)
                // The title is printed beside every company: it must not say why they were drawn.
                let title = f["任务名称"]!
                for w in SampleLint.revealingWords { #expect(!title.contains(w), "\(file): the title '\(title)' reveals '\(w)'") }
                let uscc = f["统一社会信用代码"]!
                #expect(drawn.contains(uscc) && f["企业名称"] == names[uscc])
                if file == "results.csv" {
                    #expect(f["检查实施机关"] == "市场监管部门" && f["抽查事项"] == "企业公示信息（年度报告）的检查")
                    let allowed = Set(InspectionResultCodeTexts.all)
                    #expect(f["检查结果"]!.components(separatedBy: "；").allSatisfy(allowed.contains), "\(f["检查结果"]!)")
                    for d in ["检查日期", "检查完成日期", "公示截止日期"] { #expect(Day(iso: f[d]!) != nil) }
                }
            }
        }
    }

    @Test func lintChecksEveryShippedTaskAndReportsProblemsWithTheirPlace() throws {
        let ok = try Self.digitag(["sample", "lint"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("ok Pipelines/tasks/targeted-2025.yaml: task SD-2025-TGT-01, 3 groups"), "\(ok.stdout)")
        let dir = TestPaths.temporaryDirectory("lint")
        let bad = TestPaths.write(
            """
            id: T-LINT
            items: [anual_report]
            groups:
              - id: shell
                where: targeted.shell_lik
                ratio: 20%
                weight: score

            """, to: dir, "bad.yaml")
        let r = try Self.digitag(["sample", "lint", bad])
        #expect(r.status == 2)
        for expected in [
            "bad.yaml:4:3: error: the groups do not end with 'rest: true'", "bad.yaml:7:13: error: group 'shell' is weighted but the task has no floor",
        ] {
            #expect(r.stderr.contains(expected), "missing: \(expected)\nin:\n\(r.stderr)")
        }
        // Once the policy is right, the items and expressions are checked against the item list and the catalog.
        TestPaths.write(
            """
            id: T-LINT
            items: [anual_report]
            floor: 1%
            groups:
              - id: shell
                where: targeted.shell_lik
                ratio: 20%
                weight: score
              - id: general
                rest: true
                ratio: 2%

            """, to: dir, "bad.yaml")
        let r2 = try Self.digitag(["sample", "lint", bad])
        #expect(r2.status == 2)
        #expect(r2.stderr.contains("bad.yaml:2:9: error: 'anual_report' is not on the inspection item list"), "\(r2.stderr)")
        #expect(r2.stderr.contains("did you mean 'annual_report'?"))
        #expect(r2.stderr.contains("bad.yaml:6:12: error: in group 'shell' where:") && r2.stderr.contains("targeted.shell_like"), "\(r2.stderr)")
    }
}

/// The published wordings of the result codes (the test does not import Sampling's type by name to keep the
/// list it checks against independent of how the importer spells them).
enum InspectionResultCodeTexts {
    static let all = [
        "未发现问题", "发现问题已责令改正", "未按规定公示应当公示的信息", "不配合检查情节严重", "通过登记的住所（经营场所）无法联系",
        "未发现开展本次抽查涉及的经营活动", "发现问题已移送相关部门查处",
    ]
}
