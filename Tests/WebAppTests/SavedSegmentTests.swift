import Foundation
import TestSupport
import Testing
@testable import WebApp

/// Saved segments: saved with the CSRF token, listed, run, deleted; and checked again every time they run,
/// so neither a role change nor a catalog change since saving lets a hidden tag through.
@Suite struct SavedSegmentTests {
    /// Signs in, saves `expr` as `name` through the form, and returns the status of the save.
    static func save(_ agent: Agent, _ user: String, name: String, expr: String) async throws -> Int {
        try await agent.signIn(user)
        let token = Agent.csrfToken(try await agent.get("/segments/saved").body) ?? ""
        return try await agent.send(.post, "/segments/saved", form: ["csrf_token": token, "name": name, "expr": expr]).status
    }

    static func json(_ body: String) -> [String: Any] { try! JSONSerialization.jsonObject(with: Data(body.utf8)) as! [String: Any] }

    @Test("save, list, run (the same count as typing it), delete")
    func lifecycle() async throws {
        let expr = "abnormal.listed"
        let (saved, list, run, typed, deleted, after) = try await WebFixture.service().withAgent { agent in
            let saved = try await Self.save(agent, "jinan", name: "异常名录 listed", expr: expr)
            let list = try await agent.get("/api/saved-segments").body
            let run = try await agent.get("/api/saved-segments/run?name=" + HTML.queryValue("异常名录 listed")).body
            let typed = try await agent.get("/api/segments?expr=" + HTML.queryValue(expr)).body
            let token = Agent.csrfToken(try await agent.get("/segments/saved").body) ?? ""
            let deleted = try await agent.send(.post, "/segments/saved/delete", form: ["csrf_token": token, "name": "异常名录 listed"]).status
            return (saved, list, run, typed, deleted, try await agent.get("/api/saved-segments").body)
        }
        #expect(saved == 303)
        let entries = Self.json(list)["saved_segments"] as! [[String: Any]]
        #expect(entries.map { $0["name"] as! String } == ["异常名录 listed"])
        #expect(entries.first?["expression"] as? String == expr)
        #expect(Self.json(run)["total"] as? Int == Self.json(typed)["total"] as? Int)
        #expect((Self.json(run)["total"] as? Int ?? 0) > 0)
        #expect(deleted == 303)
        #expect((Self.json(after)["saved_segments"] as! [Any]).isEmpty)
    }

    @Test("a form without the CSRF token saves nothing; an expression the role may not run is not saved either")
    func refusedSaves() async throws {
        let (noToken, confidential, list) = try await WebFixture.service().withAgent { agent in
            try await agent.signIn("jinan")
            let noToken = try await agent.send(.post, "/segments/saved", form: ["name": "x", "expr": "abnormal.listed"]).status
            let token = Agent.csrfToken(try await agent.get("/segments/saved").body) ?? ""
            let confidential = try await agent.send(
                .post, "/segments/saved", form: ["csrf_token": token, "name": "y", "expr": "derived.tax_bad"])
            return (noToken, confidential, try await agent.get("/api/saved-segments").body)
        }
        #expect(noToken == 403)
        #expect(confidential.status == 403)
        #expect(confidential.body.contains("derived.tax_bad reads tax.rating, which is confidential"))
        #expect((Self.json(list)["saved_segments"] as! [Any]).isEmpty)
    }

    @Test("a role change: the segment saved while the role saw tax.rating is refused once it no longer does")
    func roleChange() async throws {
        let file = TestPaths.temporaryDirectory("web-saved") + "/saved-segments.json"
        let saved = try await WebFixture.service(savedSegments: file).withAgent { agent in
            try await Self.save(agent, "prov", name: "D", expr: "tax.rating == 'D'")
        }
        #expect(saved == 303)
        let (run, list) = try await WebFixture.service(users: WebFixture.demotedUsersFile, savedSegments: file).withAgent { agent in
            try await agent.signIn("prov")
            return (try await agent.get("/api/saved-segments/run?name=D"), try await agent.get("/segments/saved").body)
        }
        #expect(run.status == 403)
        #expect(run.body.contains("tax.rating is confidential; your role sees up to internal"))
        #expect(!run.body.contains("\"total\""))
        #expect(list.contains("现已无权运行 refused now"))
    }

    @Test("a catalog change: a segment saved on a run where its tag was internal is refused on a run where it is confidential")
    func catalogChange() async throws {
        let file = TestPaths.temporaryDirectory("web-saved") + "/saved-segments.json"
        let saved = try await WebFixture.service(savedSegments: file).withAgent { agent in
            try await Self.save(agent, "jinan", name: "big", expr: "derived.big_capital")
        }
        #expect(saved == 303)
        let run = try await WebFixture.service(runs: RunPipelineTests.earlierRoot, savedSegments: file).withAgent { agent in
            try await agent.signIn("jinan")
            return try await agent.get("/api/saved-segments/run?name=big")
        }
        #expect(run.status == 403)
        #expect(run.body.contains("derived.big_capital is confidential"))
    }

    @Test("saving and deleting are in the audit log")
    func audited() async throws {
        let service = try WebFixture.service()
        _ = try await service.withAgent { agent in try await Self.save(agent, "jinan", name: "n", expr: "abnormal.listed") }
        let log = try String(contentsOfFile: service.auditLog.path, encoding: .utf8)
        #expect(log.contains("\"action\": \"segment.save\"") && log.contains("n: abnormal.listed"))
    }
}
