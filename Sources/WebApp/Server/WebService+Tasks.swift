import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
import Inspection
import RunModel
import Sampling

/// The inspection task routes: pages and API alike. Permissions and the region go through `AccessPolicy`;
/// the work through `TaskService` (the command line's `Inspection` functions); every request writes one audit line.
extension WebService {
    func taskRoute(_ route: Route, _ r: WebRequest, id: String, session s: Session, policy: AccessPolicy) throws -> WebResponse {
        switch route {
        case .tasks, .apiTasks: return try taskList(r, session: s, policy: policy)
        case .task, .apiTask: return try taskDetail(r, id: id, session: s, policy: policy)
        case .taskDraw, .apiTaskDraw: return try taskDraw(r, id: id, session: s, policy: policy)
        case .taskVerify, .apiTaskVerify: return try taskVerify(r, id: id, session: s, policy: policy)
        case .taskReplace, .apiTaskReplace: return try taskReplace(r, id: id, session: s, policy: policy)
        case .taskResults, .apiTaskResults: return try taskResults(r, id: id, session: s, policy: policy)
        case .taskNotice, .apiTaskNotice: return try taskFile(r, id: id, name: "notice.csv", action: "task.notice", session: s, policy: policy)
        case .taskResultsCSV, .apiTaskResultsCSV:
            return try taskFile(r, id: id, name: "results.csv", action: "task.results_csv", session: s, policy: policy)
        default: fatalError("\(route) is not a task route")
        }
    }

    /// The tasks of the served pipeline, read afresh on every request (a task file added, a draw made by the
    /// command line, show at once). The default task is the one of the pipeline the current run was made with.
    func inspectionTasks() throws -> (tasks: [InspectionTask], problems: [Diagnostic]) {
        InspectionTask.all(pipeline: configuration.pipeline, defaultTask: try runs.current().definition.defaultTask, samples: configuration.samples)
    }

    /// Audits a refusal and answers it.
    func taskRefused(_ r: WebRequest, _ s: Session, action: String, subject: String, _ refusal: AccessRefusal) throws -> WebResponse {
        try audit(r, s, action: action, subject: subject, size: 0, outcome: "refused")
        return refused(r, refusal, session: s)
    }

    /// Audits and answers a request that needs a drawn task (verify, replace, results) on one not drawn yet.
    func taskNotDrawn(_ r: WebRequest, _ s: Session, action: String, subject: String, message: String) throws -> WebResponse {
        try audit(r, s, action: action, subject: subject, size: 0, outcome: "invalid")
        return failure(r, status: 409, title: "未抽取 Not drawn", message: message, error: "not_drawn", session: s)
    }

    /// The task of the URL; nil (audited as not found) for an unknown one.
    func findTask(_ r: WebRequest, id: String, session s: Session, action: String) throws -> InspectionTask? {
        if let t = try inspectionTasks().tasks.first(where: { $0.id == id }) { return t }
        try audit(r, s, action: action, subject: id, size: 0, outcome: "not_found")
        return nil
    }

    func taskNotFound(_ r: WebRequest, id: String, session s: Session) -> WebResponse {
        failure(r, status: 404, title: "未找到 Not found", message: "没有任务 no task '\(id)'", error: "not_found", session: s)
    }

    /// A form that changes something carries the session's token: the form field (pages, also in a multipart
    /// body) or the X-CSRF-Token header (API). A missing or wrong token is refused and audited.
    func checkCSRF(_ r: WebRequest, _ s: Session, action: String, subject: String) throws -> WebResponse? {
        let sent = r.isAPI ? r.headers["x-csrf-token"] : r.form["csrf_token"]
        if let sent, sent == s.csrfToken { return nil }
        try audit(r, s, action: action, subject: subject, size: 0, outcome: "refused")
        return failure(r, status: 403, title: "请求无效 Invalid request", message: "missing or wrong CSRF token: reload the page", error: "csrf", session: s)
    }

    func taskList(_ r: WebRequest, session s: Session, policy: AccessPolicy) throws -> WebResponse {
        do { try policy.require(.viewProfiles) } catch { return try taskRefused(r, s, action: "task.list", subject: "", error) }
        let (tasks, problems) = try inspectionTasks()
        let rows = try tasks.map { t in (t, try t.isDrawn ? TaskSample.read(t, policy: policy) : nil) }
        let shown = rows.reduce(0) { $0 + ($1.1.map { $0.drawnInScope + $0.replacementsInScope } ?? 0) }
        try audit(r, s, action: "task.list", subject: "", size: shown, outcome: "ok")
        let messages = problems.map(\.description)
        return r.isAPI ? .json(TaskPage.listJSON(rows, problems: messages)) : .html(TaskPage.list(rows, problems: messages, session: s))
    }

    func taskDetail(_ r: WebRequest, id: String, session s: Session, policy: AccessPolicy) throws -> WebResponse {
        do { try policy.require(.viewProfiles) } catch { return try taskRefused(r, s, action: "task.sample", subject: id, error) }
        guard let t = try findTask(r, id: id, session: s, action: "task.sample") else { return taskNotFound(r, id: id, session: s) }
        let sample = try t.isDrawn ? TaskSample.read(t, policy: policy) : nil
        try audit(r, s, action: "task.sample", subject: id, size: sample?.rows.count ?? 0, outcome: "ok")
        return r.isAPI
            ? .json(TaskPage.detailJSON(t, sample))
            : .html(
                TaskPage.detail(
                    t, sample, session: s, canDraw: policy.role.permits(.drawSamples), canImport: policy.role.permits(.importResults)))
    }

    func taskDraw(_ r: WebRequest, id: String, session s: Session, policy: AccessPolicy) throws -> WebResponse {
        let action = "task.draw"
        if let refusal = try checkCSRF(r, s, action: action, subject: id) { return refusal }
        do { try policy.require(.drawSamples) } catch { return try taskRefused(r, s, action: action, subject: id, error) }
        guard let t = try findTask(r, id: id, session: s, action: action) else { return taskNotFound(r, id: id, session: s) }
        do {
            let summary = try TaskService.draw(t, configuration: configuration, drawnAt: clock())
            var drawn = t
            drawn.audit = try SampleAudit.read(FileSystem.join(summary.directory, "audit.json"))
            let sample = try TaskSample.read(drawn, policy: policy)
            try audit(r, s, action: action, subject: id, size: summary.draw.result.selections.count, outcome: "ok")
            let lines = [
                "task \(t.id) \(t.task.nameZh)", "  seed: \(summary.draw.seed)  (\(t.shown(summary.draw.seedOrigin)))",
                "  drawn: \(sample.noticeRows) enterprises in the whole task (the notice), \(sample.drawnInScope) in your area (\(s.user.region.code))",
                "written in the samples folder: \(t.shownDirectory)plan.csv (internal), \(t.shownDirectory)notice.csv (publishable), "
                    + "\(t.shownDirectory)ledger.csv (internal), \(t.shownDirectory)audit.json (internal)",
            ]
            return r.isAPI
                ? .json(
                    TaskPage.json([
                        ("task", TextTable.jsonString(t.id)), ("seed", TextTable.jsonString(summary.draw.seed)),
                        ("notice_rows", String(sample.noticeRows)), ("drawn_in_scope", String(sample.drawnInScope)),
                        ("directory", TextTable.jsonString(t.shownDirectory)),
                    ]))
                : .html(TaskPage.outcome(drawn, title: "已抽取 Drawn", lines: lines, isError: false, session: s))
        } catch let e as AlreadyDrawn {
            try audit(r, s, action: action, subject: id, size: 0, outcome: "refused")
            let when = t.audit?.draws?.last?.drawnAt.map { " on \($0)" } ?? ""
            let message =
                "任务已抽取，不能再次抽取 task \(e.taskID) was already drawn\(when) into \(t.shownDirectory) (from run \(URL(fileURLWithPath: e.run).lastPathComponent)): a task is drawn once; "
                + "nothing was changed. A redraw needs the command line with --redraw --reason: "
                + "digitag sample --task \(t.shownFile) --out <samples>/\(t.id) --redraw --reason TEXT"
            return failure(r, status: 409, title: "已抽取 Already drawn", message: message, error: "already_drawn", session: s)
        } catch {
            try audit(r, s, action: action, subject: id, size: 0, outcome: "failed")
            return problems(r, t, title: "未能抽取 The draw failed", error, status: 422, session: s)
        }
    }

    func taskVerify(_ r: WebRequest, id: String, session s: Session, policy: AccessPolicy) throws -> WebResponse {
        let action = "task.verify"
        if let refusal = try checkCSRF(r, s, action: action, subject: id) { return refusal }
        do { try policy.require(.viewProfiles) } catch { return try taskRefused(r, s, action: action, subject: id, error) }
        guard let t = try findTask(r, id: id, session: s, action: action) else { return taskNotFound(r, id: id, session: s) }
        guard t.isDrawn else { return try taskNotDrawn(r, s, action: action, subject: id, message: "task \(id) is not drawn yet: nothing to verify") }
        let v: SampleVerification
        do { v = try TaskService.verify(t) } catch {
            try audit(r, s, action: action, subject: id, size: 0, outcome: "failed")
            return problems(r, t, title: "无法核验 Cannot verify", error, status: 422, session: s)
        }
        let regions = try TaskSample.read(t, policy: policy).regionOf
        let shown = { (m: String) in policy.visibleFinding(m, regionOf: { regions[$0] }) }
        let changed = v.changedInputs.map(shown)
        let differences = v.differences.map(shown)
        let notes = v.notes.map(shown)
        let findings = v.findings.map(shown)
        try audit(r, s, action: action, subject: id, size: v.differences.count, outcome: v.passed ? "ok" : "failed")
        if r.isAPI {
            return .json(
                TaskPage.json([
                    ("task", TextTable.jsonString(id)), ("passed", String(v.passed)), ("identical", String(v.identical)),
                    ("changed_inputs", TaskPage.jsonList(changed)), ("differences", TaskPage.jsonList(differences)),
                    ("notes", TaskPage.jsonList(notes)), ("findings", TaskPage.jsonList(findings)),
                ]))
        }
        // The command line's lines, in its order.
        var lines = v.identical ? ["identical"] : []
        lines += changed.map { "changed: \($0)" } + differences.map { "differs: \($0)" } + notes + findings.map { "finding: \($0)" }
        if !v.identical {
            lines.append("not identical: \(v.changedInputs.count) input(s) changed, \(v.differences.count) difference(s)")
        } else if !v.passed {
            lines.append("not verified: \(v.findings.count) finding(s) about the seed")
        }
        let title = v.passed ? "核验通过 Verified: identical" : "核验未通过 Not verified"
        return .html(TaskPage.outcome(t, title: title, lines: lines, isError: !v.passed, session: s))
    }

    func taskReplace(_ r: WebRequest, id: String, session s: Session, policy: AccessPolicy) throws -> WebResponse {
        let action = "task.replace"
        let uscc = USCC.normalize(r.form["uscc"] ?? "")
        if let refusal = try checkCSRF(r, s, action: action, subject: uscc) { return refusal }
        do { try policy.require(.drawSamples) } catch { return try taskRefused(r, s, action: action, subject: uscc, error) }
        guard let t = try findTask(r, id: id, session: s, action: action) else { return taskNotFound(r, id: id, session: s) }
        guard t.isDrawn else { return try taskNotDrawn(r, s, action: action, subject: uscc, message: "task \(id) is not drawn yet") }
        let request: ReplacementRequest
        switch TaskService.replacementRequest(uscc: r.form["uscc"] ?? "", reason: r.form["reason"] ?? "", note: r.form["note"] ?? "") {
        case .success(let q): request = q
        case .failure(let e):
            try audit(r, s, action: action, subject: uscc, size: 0, outcome: "invalid")
            return failure(r, status: 400, title: "无法替换 Cannot replace", message: e.message, error: "invalid", session: s)
        }
        // An enterprise of the plan outside the user's region is "not drawn", as any code not drawn.
        let sample = try TaskSample.read(t, policy: policy)
        guard policy.ownsSampleEnterprise(region: sample.regionOf[request.uscc]) else {
            try audit(r, s, action: action, subject: uscc, size: 0, outcome: "not_found")
            return failure(
                r, status: 404, title: "无法替换 Cannot replace", message: "cannot replace: \(request.uscc) is not drawn in task \(id) in your area",
                error: "not_found", session: s)
        }
        do {
            let outcome = try TaskService.replace(t, request)
            let sel = outcome.record.selection
            try audit(r, s, action: action, subject: uscc, size: 1, outcome: "ok")
            let teams = (outcome.draw.assignment.teams[sel.candidate.uscc] ?? []).map {
                "\($0.department)=" + $0.inspectors.joined(separator: "+")
            }.joined(separator: "|")
            if r.isAPI {
                return .json(
                    TaskPage.json([
                        ("task", TextTable.jsonString(id)), ("replaced", TextTable.jsonString(request.uscc)),
                        ("reason", TextTable.jsonString(request.reason.rawValue)), ("note", TextTable.jsonString(request.note)),
                        ("replacement", TextTable.jsonString(sel.candidate.uscc)), ("name", TextTable.jsonString(sel.candidate.name)),
                        ("inspectors", TextTable.jsonString(teams)),
                    ]))
            }
            let lines = [
                "replaced \(request.uscc) (\(request.reason.rawValue)\(request.note.isEmpty ? "" : ": " + request.note)) with \(sel.candidate.uscc) \(sel.candidate.name)",
                "  the next ticket of its stratum not drawn or used yet", "  inspectors: \(teams)",
                "  replacements so far: \(outcome.draw.replacements.count); recorded in \(t.shownDirectory)audit.json",
            ]
            return .html(TaskPage.outcome(t, title: "已替换 Replaced", lines: lines, isError: false, session: s))
        } catch {
            try audit(r, s, action: action, subject: uscc, size: 0, outcome: "failed")
            let status = (error as? SampleNotVerified) != nil ? 409 : (error as? ReplacementError)?.isBadRequest == true ? 400 : 422
            return problems(r, t, title: "无法替换 Cannot replace", error, status: status, session: s)
        }
    }

    func taskResults(_ r: WebRequest, id: String, session s: Session, policy: AccessPolicy) throws -> WebResponse {
        let action = "task.results"
        if let refusal = try checkCSRF(r, s, action: action, subject: id) { return refusal }
        do { try policy.require(.importResults) } catch { return try taskRefused(r, s, action: action, subject: id, error) }
        guard let t = try findTask(r, id: id, session: s, action: action) else { return taskNotFound(r, id: id, session: s) }
        guard t.isDrawn else { return try taskNotDrawn(r, s, action: action, subject: id, message: "task \(id) is not drawn yet") }
        // A file field, else the pasted text (a browser sends an empty file part when no file was chosen).
        let upload: WebRequest.Upload
        if let f = r.files["file"], !f.bytes.isEmpty {
            upload = f
        } else if let text = r.form["text"] ?? r.form["file"], !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            upload = WebRequest.Upload(filename: "results.csv", bytes: Array(text.utf8))
        } else {
            try audit(r, s, action: action, subject: id, size: 0, outcome: "invalid")
            return failure(
                r, status: 400, title: "没有结果 No results", message: "choose a results file or paste its text (uscc,item,inspected_on,completed_on,results)",
                error: "invalid", session: s)
        }
        let sample = try TaskSample.read(t, policy: policy)
        do {
            let imported = try TaskService.importResults(
                t, upload: upload, policy: policy, regionOf: sample.regionOf, input: configuration.resultsInput, today: Self.day(clock()),
                scratch: configuration.scratch)
            let sum = imported.summary
            let mine = sum.inspections.filter { policy.ownsSampleEnterprise(region: sample.regionOf[$0.uscc]) }
            try audit(r, s, action: action, subject: id, size: mine.count, outcome: "ok")
            let pending = sum.pending.filter { policy.ownsSampleEnterprise(region: sample.regionOf[$0]) }
            if r.isAPI {
                return .json(
                    TaskPage.json([
                        ("task", TextTable.jsonString(id)), ("imported", String(mine.count)),
                        ("enterprises", String(Set(mine.map(\.uscc)).count)), ("kept_outside_your_area", String(imported.carried)),
                        ("pending_in_your_area", TaskPage.jsonList(pending)),
                    ]))
            }
            var lines = ["task \(id): \(mine.count) inspected items of \(Set(mine.map(\.uscc)).count) enterprises imported"]
            if imported.carried > 0 { lines.append("  kept: \(imported.carried) results imported earlier for enterprises outside your area") }
            if !pending.isEmpty { lines.append("  no result yet for \(pending.count) enterprises of your area: \(pending.prefix(5).joined(separator: ", "))") }
            lines.append("written: \(sum.publicFile) (publishable), \(sum.recordsFile) (records for the next run)")
            return .html(TaskPage.outcome(t, title: "已导入 Imported", lines: lines, isError: false, session: s))
        } catch {
            try audit(r, s, action: action, subject: id, size: 0, outcome: "invalid")
            return problems(r, t, title: "未导入 Nothing imported", error, status: 422, session: s)
        }
    }

    func taskFile(_ r: WebRequest, id: String, name: String, action: String, session s: Session, policy: AccessPolicy) throws -> WebResponse {
        do { try policy.require(.viewProfiles) } catch { return try taskRefused(r, s, action: action, subject: id, error) }
        guard let t = try findTask(r, id: id, session: s, action: action) else { return taskNotFound(r, id: id, session: s) }
        guard let bytes = TaskService.publicFile(t, name) else {
            try audit(r, s, action: action, subject: id, size: 0, outcome: "not_found")
            let why = t.isDrawn ? "no results imported yet for task \(id)" : "task \(id) is not drawn yet"
            return failure(r, status: 404, title: "未找到 Not found", message: why, error: "not_found", session: s)
        }
        let rows = max(0, bytes.split(separator: 0x0A).count - 1)
        try audit(r, s, action: action, subject: id, size: rows, outcome: "ok")
        return WebResponse(
            status: 200, contentType: "text/csv; charset=utf-8", body: bytes,
            headers: [("Content-Disposition", "attachment; filename=\"\(id)-\(name)\"")])
    }

    /// An error of the `Inspection` functions, as the command line reports it (its stderr lines).
    func problems(_ r: WebRequest, _ t: InspectionTask, title: String, _ error: any Error, status: Int, session s: Session) -> WebResponse {
        let lines = (error as? any DigitagError)?.report ?? ["digitag: \(error)"]
        if r.isAPI {
            return .json(
                TaskPage.json([
                    ("error", TextTable.jsonString("failed")), ("message", TextTable.jsonString(title)), ("problems", TaskPage.jsonList(lines)),
                ]), status: status)
        }
        return .html(TaskPage.outcome(t, title: title, lines: lines, isError: true, session: s), status: status)
    }

    /// The server's local date: no inspection may be dated later (the command line's `today`).
    static func day(_ date: Date) -> Day {
        let c = Calendar.current.dateComponents([.year, .month, .day], from: date)
        return Day(year: c.year!, month: c.month!, day: c.day!)!
    }
}
