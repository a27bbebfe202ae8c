import Foundation
import TestSupport
import Testing
@testable import WebApp

/// Each run is served with the pipeline it was made with: a catalog change between runs changes what a role
/// may ask of the runs made after it, not of the runs before.
@Suite struct RunPipelineTests {
    /// A runs folder whose `current` is the fixture's first run (made with the derived tags declared confidential).
    static let earlierRoot: String = {
        let root = TestPaths.temporaryDirectory("web-earlier-current")
        try! FileManager.default.createSymbolicLink(atPath: root + "/current", withDestinationPath: WebFixture.run(WebFixture.asOfs[0]))
        return root
    }()

    @Test("a tag confidential in the run's own catalog is refused there, and allowed in the run whose catalog says internal")
    func catalogPerRun() async throws {
        let expr = "/api/segments?expr=" + HTML.queryValue("derived.big_capital")
        let now = try await WebFixture.service().withAgent { agent in
            try await agent.signIn("jinan")
            return try await agent.get(expr)
        }
        let then = try await WebFixture.service(runs: Self.earlierRoot).withAgent { agent in
            try await agent.signIn("jinan")
            return try await agent.get(expr)
        }
        #expect(now.status == 200)
        #expect(then.status == 403)
        #expect(then.body.contains("derived.big_capital is confidential; your role sees up to internal"))
    }

    @Test("the snapshots of two runs carry their own pipelines and clearances")
    func snapshots() throws {
        let runs = PublishedRuns(root: WebFixture.runs, pipeline: WebFixture.runPipeline)
        let first = try runs.snapshot(directory: URL(fileURLWithPath: WebFixture.run(WebFixture.asOfs[0])).resolvingSymlinksInPath().path)
        let current = try runs.current()
        #expect(first.clearance.tags["derived.big_capital"]?.sensitivity == .confidential)
        #expect(current.clearance.tags["derived.big_capital"]?.sensitivity == .internal)
        #expect(first.definition.hash != current.definition.hash)
        // Opened once per folder.
        #expect(try runs.current() === current)
    }
}
