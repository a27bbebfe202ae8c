import DigiTagBase
import Foundation
import Inspection
import TestSupport
import Testing
@testable import WebApp

/// Which tasks the pages offer, and that no page of a task shows a path of the server.
@Suite(.serialized) struct TaskListingTests {
    static let joint = "SD-2025-JOINT-01"
    static let targeted = "SD-2025-TGT-01"

    /// A service on the run's own pipeline copy (the default `--pipeline`, whose folder has no `tasks/`), with
    /// the targeted task's file put in the samples folder and the joint task drawn there by the command line
    /// from a file in a folder of its own.
    static func service() throws -> WebService {
        let base = try TaskFixture.service()
        var config = base.configuration
        config.pipeline = WebFixture.runs + "/current/pipeline/pipeline.yaml"
        #expect(FileManager.default.fileExists(atPath: config.pipeline))
        try FileManager.default.createDirectory(atPath: config.samples, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: WebFixture.pipelineDirectory + "/tasks/targeted-2025.yaml", toPath: config.samples + "/targeted-2025.yaml")
        let elsewhere = TestPaths.temporaryDirectory("task-elsewhere") + "/joint.yaml"
        try FileManager.default.copyItem(atPath: WebFixture.pipelineDirectory + "/tasks/joint-market-tax-2025.yaml", toPath: elsewhere)
        _ = try SampleRunner.run(
            SampleRequest(runDirectory: WebFixture.runs + "/current", pipeline: WebFixture.pipeline, taskPath: elsewhere, output: config.samples + "/" + joint))
        return WebService(configuration: config, users: base.users, runs: base.runs, auditLog: base.auditLog, savedSegments: base.savedSegments)
    }

    /// Every absolute folder of the server a page could leak.
    static func serverPaths(_ s: WebService) -> [String] {
        [s.configuration.samples, WebFixture.runs, WebFixture.pipelineDirectory, TestPaths.temporaryDirectory("probe")]
            .map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }.filter { $0.count > 1 }
    }

    @Test("the list has the default task, a task file of the samples folder and a task drawn there on the command line; a manager picks one and draws it")
    func listAndPick() async throws {
        let service = try Self.service()
        let (list, page, jointPage, draw, redraw) = try await service.withAgent { agent in
            try await agent.signIn("manager")
            let list = try await agent.get("/api/tasks")
            let page = try await agent.get("/tasks")
            let jointPage = try await agent.get("/tasks/\(Self.joint)")
            let token = try await agent.csrf()
            let draw = try await agent.send(.post, "/tasks/\(Self.targeted)/draw", form: ["csrf_token": token])
            let redraw = try await agent.send(.post, "/tasks/\(Self.joint)/draw", form: ["csrf_token": token])
            return (list, page, jointPage, draw, redraw)
        }
        #expect(list.status == 200)
        let tasks = (try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as! [String: Any])["tasks"] as! [[String: Any]]
        let byID = Dictionary(uniqueKeysWithValues: tasks.map { ($0["id"] as! String, $0) })
        #expect(Set(byID.keys) == [TaskFixture.general, Self.targeted, Self.joint])
        #expect(byID[Self.joint]?["drawn"] as? Bool == true)
        #expect(byID[Self.targeted]?["drawn"] as? Bool == false)
        #expect(byID[Self.targeted]?["file"] as? String == "targeted-2025.yaml")
        #expect(byID[Self.joint]?["file"] as? String == "joint.yaml")
        for id in [TaskFixture.general, Self.targeted, Self.joint] { #expect(page.body.contains("href=\"/tasks/\(id)\""), "\(id)") }
        #expect(jointPage.status == 200)
        #expect(jointPage.body.contains("已抽取") || jointPage.body.contains("notice.csv"))
        // Picked from the list and drawn: the files are where `digitag sample --out <samples>/<id>` puts them.
        #expect(draw.status == 200)
        #expect(FileManager.default.fileExists(atPath: service.configuration.samples + "/\(Self.targeted)/plan.csv"))
        #expect(try SampleVerifier.verify(directory: service.configuration.samples + "/\(Self.targeted)").passed)
        // The command line's draw is drawn once on the pages too.
        #expect(redraw.status == 409)
        for answer in [list, page, jointPage, draw, redraw] {
            for path in Self.serverPaths(service) { #expect(!answer.body.contains(path), "\(path) in \(answer.body.prefix(300))") }
        }
    }

    @Test("a county inspector sees the listed tasks but may not draw one")
    func countyInspector() async throws {
        let service = try Self.service()
        let (list, draw) = try await service.withAgent { agent in
            try await agent.signIn("lixia")
            let list = try await agent.get("/api/tasks")
            let draw = try await agent.send(.post, "/tasks/\(Self.targeted)/draw", form: ["csrf_token": try await agent.csrf()])
            return (list, draw)
        }
        #expect(list.status == 200 && list.body.contains(Self.joint) && list.body.contains(Self.targeted))
        #expect(draw.status == 403)
        #expect(!FileManager.default.fileExists(atPath: service.configuration.samples + "/\(Self.targeted)/audit.json"))
    }

    @Test("a drawn task's pages and answers name files relative to the samples folder, never a server path")
    func noServerPaths() async throws {
        let service = try TaskFixture.service()
        let answers = try await service.withAgent { agent in
            try await agent.signIn("manager")
            let token = try await agent.csrf()
            let base = "/tasks/\(TaskFixture.general)"
            var out = [try await agent.send(.post, base + "/draw", form: ["csrf_token": token])]
            out.append(try await agent.get(base))
            out.append(try await agent.get("/api" + base))
            out.append(try await agent.get("/tasks"))
            out.append(try await agent.get("/api/tasks"))
            out.append(try await agent.send(.post, base + "/draw", form: ["csrf_token": token]))
            return out
        }
        #expect(answers.map(\.status) == [200, 200, 200, 200, 200, 409])
        #expect(answers[0].body.contains("\(TaskFixture.general)/plan.csv"))
        // The default task is the run's own copy of the file: shown by its name.
        #expect(answers[1].body.contains("general-2025.yaml"))
        let detail = try JSONSerialization.jsonObject(with: Data(answers[2].body.utf8)) as! [String: Any]
        #expect(detail["directory"] as? String == "\(TaskFixture.general)/")
        #expect(detail["file"] as? String == "general-2025.yaml")
        #expect((detail["audit"] as? [String: Any])?["verify"] as? String == "digitag sample verify <samples>/\(TaskFixture.general)")
        for answer in answers {
            for path in Self.serverPaths(service) { #expect(!answer.body.contains(path), "\(path) in \(answer.body.prefix(300))") }
        }
    }
}
