import DigiTagBase
import DigiTagIO
import Foundation
import Inspection
import TestSupport
import Testing
@testable import WebApp

/// The inspection task pages: draw once, verify, replace, results, downloads — each checked against what the
/// command line's path writes for the same run and seed, and against the audit log.
@Suite(.serialized) struct TaskPageTests {
    static let task = TaskFixture.general
    static let base = "/tasks/\(TaskFixture.general)"

    @Test("an inspection manager draws the task as the command line does; a second draw is refused and changes nothing")
    func drawOnce() async throws {
        let service = try TaskFixture.service()
        let folder = TaskFixture.sampleFolder(service)
        let (first, second) = try await service.withAgent { agent in
            try await agent.signIn("manager")
            let token = try await agent.csrf()
            let first = try await agent.send(.post, Self.base + "/draw", form: ["csrf_token": token])
            let second = try await agent.send(.post, Self.base + "/draw", form: ["csrf_token": token])
            return (first, second)
        }
        #expect(first.status == 200)
        #expect(first.body.contains("已抽取 Drawn"))
        // The same files, byte for byte, as `digitag sample` writes for this run, task and seed.
        for name in ["plan.csv", "notice.csv", "ledger.csv"] {
            #expect(TaskFixture.bytes(folder + "/" + name) == TaskFixture.bytes(TaskFixture.commandLineDraw + "/" + name), "\(name)")
        }
        // The draw re-runs from its audit record: the command line's `sample verify` says identical.
        #expect(try SampleVerifier.verify(directory: folder).passed)
        let planBefore = TaskFixture.bytes(folder + "/plan.csv")
        let auditBefore = TaskFixture.bytes(folder + "/audit.json")
        #expect(second.status == 409)
        #expect(second.body.contains("was already drawn on "))
        #expect(second.body.contains("--redraw --reason"))
        #expect(TaskFixture.bytes(folder + "/plan.csv") == planBefore)
        #expect(TaskFixture.bytes(folder + "/audit.json") == auditBefore)
        #expect(!FileManager.default.fileExists(atPath: folder + "/draws"))
        let draws = try TaskFixture.auditEntries(service).filter { $0.action == "task.draw" }
        #expect(draws.map(\.outcome) == ["ok", "refused"])
        #expect(draws.allSatisfy { $0.user == "manager" && $0.subject == Self.task })
        // 43 enterprises: the count docs/regulators.md's walkthrough shows for this task on SampleData.
        #expect(draws[0].size == 43)
    }

    @Test("a county inspector and a city analyst may not draw; nothing is written")
    func refusedToDraw() async throws {
        let service = try TaskFixture.service()
        for user in ["lixia", "jinan"] {
            let answer = try await service.withAgent { agent in
                try await agent.signIn(user)
                return try await agent.send(.post, Self.base + "/draw", form: ["csrf_token": try await agent.csrf()])
            }
            #expect(answer.status == 403, "\(user)")
            #expect(answer.body.contains("may not draw samples"))
        }
        #expect(!FileManager.default.fileExists(atPath: TaskFixture.sampleFolder(service) + "/audit.json"))
        let lines = try TaskFixture.auditEntries(service).filter { $0.action == "task.draw" }
        #expect(lines.map(\.outcome) == ["refused", "refused"])
    }

    @Test("a form or API call without the CSRF token is refused, audited, and draws nothing")
    func csrfMissing() async throws {
        let service = try TaskFixture.service()
        let (page, wrong, api) = try await service.withAgent { agent in
            try await agent.signIn("manager")
            let page = try await agent.send(.post, Self.base + "/draw", form: [:])
            let wrong = try await agent.send(.post, Self.base + "/draw", form: ["csrf_token": "not-the-token"])
            let api = try await agent.send(.post, "/api" + Self.base + "/draw", form: [:])
            return (page, wrong, api)
        }
        #expect(page.status == 403 && wrong.status == 403 && api.status == 403)
        #expect(api.body.contains("\"error\": \"csrf\""))
        #expect(!FileManager.default.fileExists(atPath: TaskFixture.sampleFolder(service) + "/audit.json"))
        #expect(try TaskFixture.auditEntries(service).filter { $0.action == "task.draw" }.map(\.outcome) == ["refused", "refused", "refused"])
    }

    @Test("verify passes on the drawn sample and fails, naming the change, after one byte of the plan is changed")
    func verify() async throws {
        let service = try TaskFixture.drawnService()
        let folder = TaskFixture.sampleFolder(service)
        let passed = try await service.withAgent { agent in
            try await agent.signIn("manager")
            return try await agent.send(.post, Self.base + "/verify", form: ["csrf_token": try await agent.csrf()])
        }
        #expect(passed.status == 200)
        #expect(passed.body.contains("核验通过 Verified: identical"))
        // One byte: the status of a drawn enterprise of Jinan (the manager's area) becomes "drawm".
        let target = try TaskFixture.plan(folder).first { $0["region"]!.hasPrefix("3701") && $0["status"] == "drawn" }!["uscc"]!
        var text = try String(contentsOfFile: folder + "/plan.csv", encoding: .utf8)
        let line = text.components(separatedBy: "\n").first { $0.contains(target) }!
        text = text.replacingOccurrences(of: line, with: line.replacingOccurrences(of: ",drawn,", with: ",drawm,"))
        try text.write(toFile: folder + "/plan.csv", atomically: true, encoding: .utf8)
        let (failed, api) = try await service.withAgent { agent in
            try await agent.signIn("manager")
            let token = try await agent.csrf()
            let failed = try await agent.send(.post, Self.base + "/verify", form: ["csrf_token": token])
            let api = try await agent.send(.post, "/api" + Self.base + "/verify", form: [:], headers: ["X-CSRF-Token": token])
            return (failed, api)
        }
        #expect(failed.status == 200)
        #expect(failed.body.contains("核验未通过 Not verified"))
        #expect(failed.body.contains("differs: plan.csv: \(target) status: the file has &#39;drawm&#39;, the re-run gives &#39;drawn&#39;"))
        #expect(api.body.contains("\"passed\": false"))
        let outcomes = try TaskFixture.auditEntries(service).filter { $0.action == "task.verify" }.map(\.outcome)
        #expect(outcomes == ["ok", "failed", "failed"])
    }

    @Test("a difference about an enterprise outside the user's area is hidden from the user")
    func verifyHidesOtherAreas() async throws {
        let service = try TaskFixture.drawnService()
        let folder = TaskFixture.sampleFolder(service)
        let target = try TaskFixture.plan(folder).first { $0["region"]!.hasPrefix("3702") && $0["status"] == "drawn" }!["uscc"]!
        var text = try String(contentsOfFile: folder + "/plan.csv", encoding: .utf8)
        let line = text.components(separatedBy: "\n").first { $0.contains(target) }!
        text = text.replacingOccurrences(of: line, with: line.replacingOccurrences(of: ",drawn,", with: ",drawm,"))
        try text.write(toFile: folder + "/plan.csv", atomically: true, encoding: .utf8)
        func verify(as user: String) async throws -> Agent.Answer {
            try await service.withAgent { agent in
                try await agent.signIn(user)
                return try await agent.send(.post, Self.base + "/verify", form: ["csrf_token": try await agent.csrf()])
            }
        }
        let manager = try await verify(as: "manager")
        let province = try await verify(as: "prov")
        #expect(manager.body.contains("核验未通过 Not verified"))
        #expect(!manager.body.contains(target))
        #expect(manager.body.contains("outside your area (hidden)"))
        #expect(province.body.contains("differs: plan.csv: \(target) status"))
    }

    @Test("replace with a reason: recorded in audit.json, the same replacement as the command line's, and the sample still verifies")
    func replace() async throws {
        let service = try TaskFixture.drawnService()
        let folder = TaskFixture.sampleFolder(service)
        let leaving = try TaskFixture.plan(folder).first { $0["region"]!.hasPrefix("3701") && $0["status"] == "drawn" }!["uscc"]!
        let qingdao = try TaskFixture.plan(folder).first { $0["region"]!.hasPrefix("3702") }!["uscc"]!
        let (ok, noNote, outside) = try await service.withAgent { agent in
            try await agent.signIn("manager")
            let token = try await agent.csrf()
            let ok = try await agent.send(
                .post, Self.base + "/replace", form: ["csrf_token": token, "uscc": leaving, "reason": "unreachable", "note": "门店已搬离 moved away"])
            let noNote = try await agent.send(.post, Self.base + "/replace", form: ["csrf_token": token, "uscc": leaving, "reason": "other"])
            let outside = try await agent.send(.post, Self.base + "/replace", form: ["csrf_token": token, "uscc": qingdao, "reason": "revoked"])
            return (ok, noNote, outside)
        }
        #expect(ok.status == 200)
        #expect(ok.body.contains("replaced \(leaving) (unreachable: 门店已搬离 moved away) with "))
        let audit = try SampleAudit.read(folder + "/audit.json")
        #expect(audit.replacements.count == 1)
        #expect(audit.replacements.first?.uscc == leaving)
        #expect(audit.replacements.first?.reason == "unreachable")
        #expect(audit.replacements.first?.note == "门店已搬离 moved away")
        let row = try TaskFixture.plan(folder).first { $0["uscc"] == leaving }!
        #expect(row["status"] == "replaced" && row["reason"] == "unreachable: 门店已搬离 moved away")
        // The command line's replace on its own draw picks the same enterprise.
        let cli = TestPaths.temporaryDirectory("cli-replace") + "/" + TaskFixture.general
        try FileManager.default.copyItem(atPath: TaskFixture.commandLineDraw, toPath: cli)
        let cliOutcome = try SampleReplacer.replace(
            directory: cli, request: .init(uscc: leaving, reason: .unreachable, note: "门店已搬离 moved away"))
        #expect(audit.replacements.first?.replacement == cliOutcome.record.selection.candidate.uscc)
        #expect(try SampleVerifier.verify(directory: folder).passed)
        #expect(noNote.status == 400)
        #expect(noNote.body.contains("reason other needs a note"))
        // An enterprise of the plan outside the manager's city is "not drawn" for the manager.
        #expect(outside.status == 404)
        #expect(outside.body.contains("is not drawn in task \(TaskFixture.general) in your area"))
        let lines = try TaskFixture.auditEntries(service).filter { $0.action == "task.replace" }
        #expect(lines.map(\.outcome) == ["ok", "invalid", "not_found"])
        #expect(lines[0].subject == leaving)
    }

    @Test("a results upload with a bad row gives the command line's message, with line and field, and imports nothing")
    func resultsBadRow() async throws {
        let service = try TaskFixture.drawnService()
        let folder = TaskFixture.sampleFolder(service)
        let mine = try TaskFixture.plan(folder).filter { $0["region"]!.hasPrefix("3701") && $0["status"] == "drawn" }.map { $0["uscc"]! }
        let qingdao = try TaskFixture.plan(folder).first { $0["region"]!.hasPrefix("3702") }!["uscc"]!
        let csv = """
            uscc,item,inspected_on,completed_on,results
            \(mine[0]),annual_report,2025-02-10,2025-02-12,no_problem
            \(mine[1]),annual_reprot,2025-02-11,2025-02-12,no_problem
            \(qingdao),annual_report,2025-02-11,2025-02-12,no_problem

            """
        let answer = try await service.withAgent { agent in
            try await agent.signIn("manager")
            return try await agent.upload(
                Self.base + "/results", fields: ["csrf_token": try await agent.csrf()], file: ("file", "结果.csv", Array(csv.utf8)))
        }
        #expect(answer.status == 422)
        // The importer's messages (docs/regulators.md shows them for `results import`), under the uploaded file's name.
        #expect(
            answer.body.contains(
                "结果.csv:3:2: error: item: &#39;annual_reprot&#39; is not an item of task SD-2025-GEN-01 (did you mean &#39;annual_report&#39;?)"))
        // Qingdao is outside the manager's city: for the manager it was not drawn.
        #expect(answer.body.contains("结果.csv:4:1: error: uscc: \(qingdao) was not drawn in task SD-2025-GEN-01"))
        #expect(answer.body.contains("2 problems in the input; nothing was written"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/results.csv"))
        #expect(FileSystem.list(service.configuration.resultsInput!).isEmpty)
        #expect(try TaskFixture.auditEntries(service).last.map { ($0.action, $0.outcome) } ?? ("", "") == ("task.results", "invalid"))
    }

    @Test("results pasted in the form are imported; results.csv downloads as written; results of other cities are kept")
    func resultsImported() async throws {
        let service = try TaskFixture.drawnService()
        let folder = TaskFixture.sampleFolder(service)
        let plan = try TaskFixture.plan(folder).filter { $0["status"] == "drawn" }
        let jinan = plan.filter { $0["region"]!.hasPrefix("3701") }.map { $0["uscc"]! }
        let qingdao = plan.first { $0["region"]!.hasPrefix("3702") }!["uscc"]!
        // Results for Qingdao imported earlier, by the command line.
        let earlier = TestPaths.temporaryDirectory("earlier") + "/results.csv"
        try "uscc,item,inspected_on,completed_on,results\n\(qingdao),annual_report,2025-03-03,2025-03-04,corrected\n"
            .write(toFile: earlier, atomically: true, encoding: .utf8)
        _ = try ResultsImporter.run(
            ResultsImportRequest(sample: folder, results: earlier, input: service.configuration.resultsInput, today: Day(iso: "2026-01-01")!))
        let text = "uscc,item,inspected_on,completed_on,results\n\(jinan[0]),annual_report,2025-02-10,2025-02-12,corrected\n"
        let (imported, download) = try await service.withAgent { agent in
            try await agent.signIn("manager")
            let imported = try await agent.send(.post, Self.base + "/results", form: ["csrf_token": try await agent.csrf(), "text": text])
            return (imported, try await agent.get(Self.base + "/results.csv"))
        }
        let lixia = try await service.withAgent { agent in
            try await agent.signIn("lixia")
            return try await agent.get(Self.base + "/results.csv")
        }
        #expect(imported.status == 200)
        #expect(imported.body.contains("1 inspected items of 1 enterprises imported"))
        #expect(imported.body.contains("kept: 1 results imported earlier for enterprises outside your area"))
        #expect(download.status == 200)
        #expect(download.bytes == TaskFixture.bytes(folder + "/results.csv"))
        #expect(download.bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(download.header("content-type") == "text/csv; charset=utf-8")
        let rows = download.body.components(separatedBy: "\n").filter { !$0.isEmpty }
        #expect(rows.count == 3)
        #expect(rows.contains { $0.contains(jinan[0]) })
        #expect(rows.contains { $0.contains(qingdao) })
        #expect(lixia.status == 200)
        let records = FileSystem.list(service.configuration.resultsInput! + "/market")
        #expect(records == ["inspections-SD-2025-GEN-01.csv"])
    }

    @Test("notice.csv is the published file, byte for byte; the task page lists only the user's area")
    func noticeAndScope() async throws {
        let service = try TaskFixture.drawnService()
        let folder = TaskFixture.sampleFolder(service)
        let plan = try TaskFixture.plan(folder)
        let jinanRows = plan.filter { $0["region"]!.hasPrefix("3701") }
        #expect(!jinanRows.isEmpty && jinanRows.count < plan.count)
        let notice = try await service.withAgent { agent in
            try await agent.signIn("lixia")
            return try await agent.get(Self.base + "/notice.csv")
        }
        let (page, api) = try await service.withAgent { agent in
            try await agent.signIn("jinan")
            return (try await agent.get(Self.base), try await agent.get("/api" + Self.base))
        }
        #expect(notice.status == 200)
        #expect(notice.bytes == TaskFixture.bytes(TaskFixture.commandLineDraw + "/notice.csv"))
        #expect(notice.header("content-disposition") == "attachment; filename=\"SD-2025-GEN-01-notice.csv\"")
        #expect(page.status == 200)
        for row in plan {
            #expect(page.body.contains(row["uscc"]!) == row["region"]!.hasPrefix("3701"), "\(row["uscc"]!) \(row["region"]!)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as! [String: Any]
        #expect((json["rows"] as! [[String]]).count == jinanRows.count)
        #expect(json["drawn_in_scope"] as? Int == jinanRows.count)
        #expect(json["notice_rows"] as? Int == 43)
        let actions = try TaskFixture.auditEntries(service).map(\.action)
        #expect(Array(actions.suffix(5)) == ["login", "task.notice", "login", "task.sample", "task.sample"])
    }

    @Test("a results upload may be larger than a form, up to its own bound; other forms stay at 1 MiB")
    func uploadBound() async throws {
        let service = try TaskFixture.drawnService()
        // About 3 MiB once url-encoded; the header lacks the importer's columns, so it is refused quickly.
        let big = "a,b\n" + String(repeating: "1,2\n", count: 400_000)
        let (results, draw) = try await service.withAgent { agent in
            try await agent.signIn("manager")
            let token = try await agent.csrf()
            let results = try await agent.send(.post, Self.base + "/results", form: ["csrf_token": token, "text": big])
            let draw = try await agent.send(.post, Self.base + "/draw", form: ["csrf_token": token, "pad": big])
            return (results, draw)
        }
        #expect(results.status == 422)
        #expect(results.body.contains("results.csv:1: error: missing required column &#39;uscc&#39;"))
        #expect(draw.status == 413)
    }

    @Test("multipart bodies: fields and a file with its exact bytes")
    func multipart() {
        let body = Array(
            "--b1\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\ntok\r\n--b1\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\\\x\\\\r.csv\"\r\nContent-Type: text/csv\r\n\r\n\u{FEFF}a,b\r\n1,2\r\n\r\n--b1--\r\n"
                .utf8)
        #expect(MultipartForm.boundary(contentType: "multipart/form-data; boundary=b1") == "b1")
        #expect(MultipartForm.boundary(contentType: "application/x-www-form-urlencoded") == nil)
        let parts = MultipartForm.parse(body, boundary: "b1")
        #expect(parts.fields == ["csrf_token": "tok"])
        #expect(parts.files["file"]?.bytes == Array("\u{FEFF}a,b\r\n1,2\r\n".utf8))
        #expect(TaskService.uploadName(parts.files["file"]!.filename) == "r.csv")
        #expect(TaskService.uploadName("../../etc/passwd") == "passwd")
    }
}

/// The route list and its documentation agree: every API route is a path of docs/openapi.yaml, every route is
/// in docs/serving.md's table.
@Suite struct RouteDocumentationTests {
    @Test("every route is documented in openapi.yaml and serving.md")
    func documented() throws {
        let openapi = try String(contentsOfFile: TestPaths.repo("docs/openapi.yaml"), encoding: .utf8)
        let serving = try String(contentsOfFile: TestPaths.repo("docs/serving.md"), encoding: .utf8)
        for route in Route.allCases {
            if route.path.hasPrefix("/api/") {
                #expect(openapi.contains("\n  \(route.path):\n"), "\(route.rawValue) in openapi.yaml")
                #expect(openapi.contains("\n    \(route.method.lowercased()):\n") )
            }
            #expect(serving.contains("`\(route.rawValue)") || serving.contains(route.path + "`"), "\(route.rawValue) in serving.md")
        }
    }
}
