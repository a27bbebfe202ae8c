import Foundation
import Inspection
import Testing
@testable import WebApp

/// Every route × every shipped role: allowed (200), refused (403) or not found (404), pages and API alike.
@Suite(.serialized) struct RouteRoleMatrixTests {
    /// An enterprise of Lixia (370102, in Jinan) and one of Qingdao (3702), from classes.csv.
    static let lixia = WebFixture.enterprises(inRegion: "370102")[0]["uscc"]!
    static let qingdao = WebFixture.enterprises(inRegion: "3702")[0]["uscc"]!

    struct Row: CustomStringConvertible, Sendable {
        var uri: String
        /// Expected status for prov, jinan, lixia, manager, auditor.
        var expected: [Int]
        var description: String { uri }
    }

    static let rows: [Row] = [
        Row(uri: "/search?q=%E6%9C%89%E9%99%90", expected: [200, 200, 200, 200, 403]),
        Row(uri: "/api/search?q=%E6%9C%89%E9%99%90", expected: [200, 200, 200, 200, 403]),
        Row(uri: "/enterprise/\(lixia)", expected: [200, 200, 200, 200, 403]),
        Row(uri: "/api/enterprises/\(lixia)", expected: [200, 200, 200, 200, 403]),
        Row(uri: "/enterprise/\(qingdao)", expected: [200, 404, 404, 404, 403]),
        Row(uri: "/api/enterprises/\(qingdao)", expected: [200, 404, 404, 404, 403]),
        Row(uri: "/segments?expr=abnormal.listed", expected: [200, 200, 200, 200, 403]),
        Row(uri: "/api/segments?expr=abnormal.listed", expected: [200, 200, 200, 200, 403]),
        Row(uri: "/segments.csv?expr=abnormal.listed", expected: [200, 200, 403, 200, 403]),
        Row(uri: "/api/segments.csv?expr=abnormal.listed", expected: [200, 200, 403, 200, 403]),
        // tax.rating is confidential: only the province analyst's role sees it.
        Row(uri: "/api/segments?expr=tax.rating%20%3D%3D%20%27D%27", expected: [200, 403, 403, 403, 403]),
        Row(uri: "/audit", expected: [403, 403, 403, 403, 200]),
        // The dashboard of each one's own area; saved segments (none yet: running one is not found).
        Row(uri: "/dashboard", expected: [200, 200, 200, 200, 403]),
        Row(uri: "/api/dashboard", expected: [200, 200, 200, 200, 403]),
        Row(uri: "/segments/saved", expected: [200, 200, 200, 200, 403]),
        Row(uri: "/api/saved-segments", expected: [200, 200, 200, 200, 403]),
        Row(uri: "/segments/saved/run?name=x", expected: [404, 404, 404, 404, 403]),
        Row(uri: "/api/saved-segments/run?name=x", expected: [404, 404, 404, 404, 403]),
        Row(uri: "/api/audit", expected: [403, 403, 403, 403, 200]),
    ]

    @Test("route × role: allowed, refused or not found", arguments: rows)
    func matrix(_ row: Row) async throws {
        let service = try WebFixture.service()
        for (k, person) in WebFixture.people.enumerated() {
            let status = try await service.withAgent { agent in
                try await agent.signIn(person.name)
                return try await agent.get(row.uri).status
            }
            #expect(status == row.expected[k], "\(person.name) \(row.uri)")
        }
    }

    /// The routes that change something, × role: with the session's CSRF token (form field for pages, header
    /// for the API) and without it.
    @Test("saving and deleting a segment: allowed, refused, not found; without the CSRF token refused for all")
    func changingRoutes() async throws {
        let service = try WebFixture.service()
        for (k, person) in WebFixture.people.enumerated() {
            let query = person.role.permits(.query)
            let statuses = try await service.withAgent { agent in
                try await agent.signIn(person.name)
                let page = try await agent.get("/segments/saved")
                let search = try await agent.get("/search")
                let token = Agent.csrfToken(page.body) ?? Agent.csrfToken(search.body) ?? ""
                let api = ["X-CSRF-Token": token]
                return [
                    try await agent.send(.post, "/segments/saved", form: ["name": "a", "expr": "abnormal.listed"]).status,
                    try await agent.send(.post, "/segments/saved", form: ["csrf_token": token, "name": "a", "expr": "abnormal.listed"]).status,
                    try await agent.send(.post, "/api/saved-segments", form: ["name": "b", "expr": "abnormal.listed"]).status,
                    try await agent.send(.post, "/api/saved-segments", form: ["name": "b", "expr": "abnormal.listed"], headers: api).status,
                    try await agent.get("/api/saved-segments/run?name=b").status,
                    try await agent.send(.delete, "/api/saved-segments?name=b").status,
                    try await agent.send(.delete, "/api/saved-segments?name=b", headers: api).status,
                    try await agent.send(.delete, "/api/saved-segments?name=b", headers: api).status,
                    try await agent.send(.post, "/segments/saved/delete", form: ["csrf_token": token, "name": "a"]).status,
                ]
            }
            let expected = query ? [403, 303, 403, 200, 200, 403, 200, 404, 303] : [403, 403, 403, 403, 403, 403, 403, 403, 403]
            #expect(statuses == expected, "\(person.name)")
        }
    }

    /// The inspection task routes, on a service whose general task is drawn. POSTs carry the session's CSRF
    /// token (the form field for pages, X-CSRF-Token for the API).
    struct TaskRow: CustomStringConvertible, Sendable {
        var method: String
        var uri: String
        var form: [String: String] = [:]
        /// Expected status for prov, jinan, lixia, manager, auditor.
        var expected: [Int]
        var description: String { "\(method) \(uri) \(form)" }
    }

    static let task = "/tasks/SD-2025-GEN-01"
    /// A drawn enterprise of Qingdao (3702): outside the manager's city (3701).
    static let taskRows: [TaskRow] = [
        TaskRow(method: "GET", uri: "/tasks", expected: [200, 200, 200, 200, 403]),
        TaskRow(method: "GET", uri: "/api/tasks", expected: [200, 200, 200, 200, 403]),
        TaskRow(method: "GET", uri: task, expected: [200, 200, 200, 200, 403]),
        TaskRow(method: "GET", uri: "/api" + task, expected: [200, 200, 200, 200, 403]),
        TaskRow(method: "GET", uri: "/tasks/NO-SUCH-TASK", expected: [404, 404, 404, 404, 403]),
        TaskRow(method: "GET", uri: "/api/tasks/NO-SUCH-TASK", expected: [404, 404, 404, 404, 403]),
        TaskRow(method: "GET", uri: task + "/notice.csv", expected: [200, 200, 200, 200, 403]),
        TaskRow(method: "GET", uri: "/api" + task + "/notice.csv", expected: [200, 200, 200, 200, 403]),
        // No results imported yet.
        TaskRow(method: "GET", uri: task + "/results.csv", expected: [404, 404, 404, 404, 403]),
        TaskRow(method: "GET", uri: "/api" + task + "/results.csv", expected: [404, 404, 404, 404, 403]),
        // Drawn once already: the manager gets the refusal that says so.
        TaskRow(method: "POST", uri: task + "/draw", expected: [403, 403, 403, 409, 403]),
        TaskRow(method: "POST", uri: "/api" + task + "/draw", expected: [403, 403, 403, 409, 403]),
        TaskRow(method: "POST", uri: "/tasks/NO-SUCH-TASK/draw", expected: [403, 403, 403, 404, 403]),
        TaskRow(method: "POST", uri: task + "/verify", expected: [200, 200, 200, 200, 403]),
        TaskRow(method: "POST", uri: "/api" + task + "/verify", expected: [200, 200, 200, 200, 403]),
        TaskRow(method: "POST", uri: task + "/replace", form: ["uscc": "x", "reason": "other"], expected: [403, 403, 403, 400, 403]),
        TaskRow(
            method: "POST", uri: "/api" + task + "/replace", form: ["uscc": "x", "reason": "other"], expected: [403, 403, 403, 400, 403]),
        TaskRow(method: "POST", uri: task + "/replace", form: ["uscc": "QINGDAO", "reason": "revoked"], expected: [403, 403, 403, 404, 403]),
        TaskRow(method: "POST", uri: task + "/results", form: ["text": "uscc,item\nx,y\n"], expected: [403, 403, 403, 422, 403]),
        TaskRow(method: "POST", uri: "/api" + task + "/results", form: ["text": "uscc,item\nx,y\n"], expected: [403, 403, 403, 422, 403]),
    ]

    @Test("task route × role: allowed, refused or not found", arguments: taskRows)
    func taskMatrix(_ row: TaskRow) async throws {
        let service = try TaskFixture.drawnService()
        let qingdao = try TaskFixture.plan(TaskFixture.sampleFolder(service)).first { $0["region"]!.hasPrefix("3702") }!["uscc"]!
        for (k, person) in WebFixture.people.enumerated() {
            let status = try await service.withAgent { agent in
                try await agent.signIn(person.name)
                if row.method == "GET" { return try await agent.get(row.uri).status }
                let token = try await agent.csrf()
                var form = row.form.mapValues { $0 == "QINGDAO" ? qingdao : $0 }
                if !row.uri.hasPrefix("/api/") { form["csrf_token"] = token }
                return try await agent.send(.post, row.uri, form: form, headers: row.uri.hasPrefix("/api/") ? ["X-CSRF-Token": token] : [:]).status
            }
            #expect(status == row.expected[k], "\(person.name) \(row)")
        }
        // Whatever the answer, the sample is the one drawn: no request of the matrix changed it.
        #expect(try SampleVerifier.verify(directory: TaskFixture.sampleFolder(service)).passed)
    }

    @Test("without a session: pages go to the sign-in form, the API answers 401")
    func signedOut() async throws {
        let service = try WebFixture.service()
        for route in Route.allCases where route.method == "GET" && route != .loginForm {
            let path = route.path.replacingOccurrences(of: "{uscc}", with: Self.lixia).replacingOccurrences(of: "{task}", with: "SD-2025-GEN-01")
            let answer = try await service.withAgent { try await $0.get(path) }
            if route.path.hasPrefix("/api/") {
                #expect(answer.status == 401, "\(route)")
                #expect(!answer.body.contains(Self.lixia))
            } else {
                #expect(answer.status == 303 && answer.location == "/login", "\(route)")
            }
        }
    }
}
