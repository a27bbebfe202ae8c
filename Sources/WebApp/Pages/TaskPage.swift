import DigiTagBase
import DigiTagIO
import Foundation
import Inspection

/// The inspection task pages: the list of tasks, one task's sample with its forms (draw, verify, replace,
/// results), and what each action came to. Forms work without JavaScript; every form that changes something
/// carries the session's CSRF token.
enum TaskPage {
    static func e(_ s: String) -> String { HTMLText.escape(s) }

    static func csrf(_ s: Session) -> String { "<input type=\"hidden\" name=\"csrf_token\" value=\"\(e(s.csrfToken))\">" }

    static func link(_ t: InspectionTask) -> String { "/tasks/\(HTML.queryValue(t.id))" }

    // MARK: the list

    static func list(_ tasks: [(InspectionTask, TaskSample?)], problems: [String], session s: Session) -> String {
        var body = "<h1>抽查任务 Inspection tasks</h1>"
        body += "<p class=\"note\">任务文件 task files: the served pipeline's default task and tasks/*.yaml beside it, as <code>digitag sample</code> knows them, "
        body += "task files in the samples folder, and tasks drawn into it on the command line; "
        body += "样本 samples in <code>samples/&lt;task id&gt;/</code>. 您的范围 your area: \(e(s.user.region.code))</p>"
        body += "<table><tr><th>任务编号 Task</th><th>名称 Name</th><th>状态 Status</th><th class=\"num\">抽中（公示）drawn (notice)</th>"
        body += "<th class=\"num\">您范围内 in your area</th><th class=\"num\">已有结果 with results</th></tr>"
        for (t, sample) in tasks {
            body += "<tr><td><a href=\"\(link(t))\">\(e(t.id))</a></td><td>\(e(t.task.nameZh))<br><small>\(e(t.shownFile))</small></td>"
            if let sample {
                body += "<td>已抽取 drawn\(t.audit?.draws?.last?.drawnAt.map { " " + e($0) } ?? "")</td><td class=\"num\">\(sample.noticeRows)</td>"
                body += "<td class=\"num\">\(sample.drawnInScope + sample.replacementsInScope)</td><td class=\"num\">\(sample.resultsInScope)</td>"
            } else {
                body += "<td>未抽取 not drawn</td><td></td><td></td><td></td>"
            }
            body += "</tr>"
        }
        body += "</table>"
        if !problems.isEmpty {
            body += "<h2>无法读取的任务文件 Task files that cannot be read</h2><pre class=\"error\">\(e(problems.joined(separator: "\n")))</pre>"
        }
        return HTML.page(title: "抽查任务 Inspection tasks", session: s, body: body)
    }

    static func listJSON(_ tasks: [(InspectionTask, TaskSample?)], problems: [String]) -> String {
        let j = TextTable.jsonString
        let items = tasks.map { t, sample in
            var o = "{\"id\": \(j(t.id)), \"name_zh\": \(j(t.task.nameZh)), \"public_title\": \(j(t.task.publishedTitle)), \"file\": \(j(t.shownFile)), "
            o += "\"drawn\": \(sample != nil)"
            if let sample {
                o += ", \"drawn_at\": \(t.audit?.draws?.last?.drawnAt.map(j) ?? "null"), \"notice_rows\": \(sample.noticeRows), "
                o += "\"drawn_in_scope\": \(sample.drawnInScope), \"replaced_in_scope\": \(sample.replacedInScope), "
                o += "\"replacements_in_scope\": \(sample.replacementsInScope), \"results_in_scope\": \(sample.resultsInScope)"
            }
            return o + "}"
        }
        return "{\"tasks\": [\(items.joined(separator: ", "))], \"problems\": [\(problems.map(j).joined(separator: ", "))]}"
    }

    // MARK: one task

    static func detail(_ t: InspectionTask, _ sample: TaskSample?, session s: Session, canDraw: Bool, canImport: Bool) -> String {
        var body = "<h1>\(e(t.task.nameZh)) <small>\(e(t.id))</small></h1>"
        body += "<p class=\"note\">公示名称 public title: \(e(t.task.publishedTitle)) · 任务文件 task file: \(e(t.shownFile)) · 样本 sample: \(e(t.shownDirectory))</p>"
        guard let audit = t.audit, let sample else {
            body += "<p>未抽取 Not drawn yet.</p>"
            if canDraw {
                body += "<form method=\"post\" action=\"\(link(t))/draw\">\(csrf(s))"
                body += "<p>按任务文件记录的种子抽取，与 <code>digitag sample --task \(e(t.shownFile))</code> 相同；每个任务只抽取一次。"
                body += "Draws with the seed the task file records, as the command line does; a task is drawn once.</p>"
                body += "<button>抽取 Draw</button></form>"
            }
            return HTML.page(title: t.id, session: s, body: body)
        }
        body += "<p><a href=\"\(link(t))/notice.csv\">公示名单 notice.csv</a>"
        body += " · <a href=\"\(link(t))/results.csv\">检查结果 results.csv</a></p>"
        body += "<h2>审计摘要 Audit summary</h2><table>"
        var facts: [(String, String)] = [
            ("种子 seed", audit.seed), ("种子来源 seed origin", t.shown(audit.seedOrigin)),
        ]
        if let c = audit.seedCommitment { facts.append(("种子承诺 seed commitment", "SHA-256 \(c.commitment), committed at \(c.committedAt)")) }
        facts += [
            ("数据批次 run", "\(URL(fileURLWithPath: audit.run.directory).lastPathComponent) (as of \(audit.run.asOf))"), ("manifest.json sha256", audit.run.manifestSHA256),
            ("classes.csv sha256", audit.run.classesSHA256), ("流水线 pipeline hash", audit.pipelineHash),
            ("事项、检查人员 policy sha256", audit.policy.sha256), ("plan.csv sha256", audit.planSHA256),
            ("notice.csv sha256", audit.noticeSHA256), ("ledger.csv sha256", audit.ledgerSHA256),
            ("抽取 draws", (audit.draws ?? []).map { "\($0.seq): \($0.drawnAt ?? "?")\($0.reason.map { " (\($0))" } ?? "")" }.joined(separator: "; ")),
            ("替换 replacements", String(audit.replaced)), ("核验 verify", t.shown(audit.verify)),
        ]
        for (k, v) in facts { body += "<tr><th>\(e(k))</th><td>\(e(v))</td></tr>" }
        body += "</table>"
        body += "<p class=\"note\">一个任务只抽取一次：重新抽取需在命令行使用 <code>digitag sample --redraw --reason …</code>（保留此前的抽取）。"
        body += "A task is drawn once: a redraw is made on the command line with --redraw --reason, which keeps the earlier draw.</p>"
        body += "<form method=\"post\" action=\"\(link(t))/verify\">\(csrf(s))<button>核验 Verify</button> "
        body += "<span class=\"note\">重新运行抽取并与样本文件比对 re-runs the draw from audit.json and compares the files</span></form>"

        body += "<h2>您范围内的样本 The sample in your area (\(e(s.user.region.code)))</h2>"
        body += "<p>抽中 drawn \(sample.drawnInScope) · 被替换 replaced \(sample.replacedInScope) · 替补 replacements \(sample.replacementsInScope)"
        body += " · 已有结果 with results \(sample.resultsInScope) · 全部公示 whole notice \(sample.noticeRows)</p>"
        body += "<table><tr>" + sample.header.map { "<th>\(e($0))</th>" }.joined() + "</tr>"
        let u = sample.header.firstIndex(of: "uscc")
        for row in sample.rows {
            body += "<tr>"
            for (k, v) in row.enumerated() {
                body += k == u ? "<td><a href=\"/enterprise/\(e(v))\">\(e(v))</a></td>" : "<td>\(e(v))</td>"
            }
            body += "</tr>"
        }
        body += "</table>"
        if canDraw {
            body += "<h2>替换 Replace an enterprise</h2><form method=\"post\" action=\"\(link(t))/replace\">\(csrf(s))"
            body += "<label>统一社会信用代码 USCC <input name=\"uscc\" size=\"20\" required></label> "
            body += "<label>原因 reason <select name=\"reason\">"
            body += ["deregistered", "revoked", "unreachable", "out_of_scope", "other"].map { "<option>\($0)</option>" }.joined()
            body += "</select></label> <label>说明 note <input name=\"note\" size=\"40\"></label> <button>替换 Replace</button>"
            body += "<p class=\"note\">由同一层的下一个签号替补，与 <code>digitag sample replace</code> 相同；out_of_scope 和 other 需要说明。"
            body += "The next ticket of the same stratum takes the place, as on the command line; out_of_scope and other need a note.</p></form>"
        }
        if canImport {
            body += "<h2>上传检查结果 Upload results</h2>"
            body += "<form method=\"post\" action=\"\(link(t))/results\" enctype=\"multipart/form-data\">\(csrf(s))"
            body += "<p>列 columns: <code>uscc,item,inspected_on,completed_on,results</code>（与 <code>digitag results import</code> 相同 as on the command line）。"
            body += "上传您范围内企业的全部结果；范围外此前导入的结果保持不变。Send all results of your area; results imported earlier for the rest are kept.</p>"
            body += "<p><label>文件 file <input type=\"file\" name=\"file\" accept=\".csv,text/csv\"></label></p>"
            body += "<p><label>或粘贴 or paste<br><textarea name=\"text\" rows=\"6\" cols=\"90\" placeholder=\"uscc,item,inspected_on,completed_on,results\"></textarea></label></p>"
            body += "<button>导入 Import</button></form>"
        }
        return HTML.page(title: t.id, session: s, body: body)
    }

    static func detailJSON(_ t: InspectionTask, _ sample: TaskSample?) -> String {
        let j = TextTable.jsonString
        var o = "{\"id\": \(j(t.id)), \"name_zh\": \(j(t.task.nameZh)), \"public_title\": \(j(t.task.publishedTitle)), \"file\": \(j(t.shownFile)), "
        o += "\"directory\": \(j(t.shownDirectory)), \"drawn\": \(sample != nil)"
        if let a = t.audit, let sample {
            o += ", \"audit\": {\"seed\": \(j(a.seed)), \"seed_origin\": \(j(t.shown(a.seedOrigin))), "
            o += "\"seed_commitment\": \(a.seedCommitment.map { "{\"commitment\": \(j($0.commitment)), \"committed_at\": \(j($0.committedAt))}" } ?? "null"), "
            o += "\"run\": \(j(URL(fileURLWithPath: a.run.directory).lastPathComponent)), \"as_of\": \(j(a.run.asOf)), \"manifest_sha256\": \(j(a.run.manifestSHA256)), "
            o += "\"classes_sha256\": \(j(a.run.classesSHA256)), \"pipeline_hash\": \(j(a.pipelineHash)), \"policy_sha256\": \(j(a.policy.sha256)), "
            o += "\"plan_sha256\": \(j(a.planSHA256)), \"notice_sha256\": \(j(a.noticeSHA256)), \"ledger_sha256\": \(j(a.ledgerSHA256)), "
            o += "\"draws\": [\((a.draws ?? []).map { "{\"seq\": \($0.seq), \"drawn_at\": \($0.drawnAt.map(j) ?? "null"), \"reason\": \($0.reason.map(j) ?? "null")}" }.joined(separator: ", "))], "
            o += "\"replaced\": \(a.replaced), \"verify\": \(j(t.shown(a.verify)))}, "
            o += "\"notice_rows\": \(sample.noticeRows), \"drawn_in_scope\": \(sample.drawnInScope), \"replaced_in_scope\": \(sample.replacedInScope), "
            o += "\"replacements_in_scope\": \(sample.replacementsInScope), \"results_in_scope\": \(sample.resultsInScope), "
            o += "\"header\": [\(sample.header.map(j).joined(separator: ", "))], \"rows\": ["
            o += sample.rows.map { "[" + $0.map(j).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
        }
        return o + "}"
    }

    // MARK: what an action came to

    /// A page with a title, lines of text (a verification's findings, an importer's messages) and a way back.
    static func outcome(_ t: InspectionTask, title: String, lines: [String], isError: Bool, session s: Session) -> String {
        var body = "<h1>\(e(title))</h1>"
        if !lines.isEmpty { body += "<pre\(isError ? " class=\"error\"" : "")>\(e(lines.map(t.shown).joined(separator: "\n")))</pre>" }
        body += "<p><a href=\"\(link(t))\">返回任务 Back to the task</a></p>"
        return HTML.page(title: title, session: s, body: body)
    }

    static func json(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(TextTable.jsonString($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }

    static func jsonList(_ lines: [String]) -> String { "[" + lines.map(TextTable.jsonString).joined(separator: ", ") + "]" }
}
