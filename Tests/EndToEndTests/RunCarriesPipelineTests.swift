import Foundation
import Testing
import TestSupport

/// Issue 14: runs carry their own pipeline; no demo default input; backfills; operations polish.
///
/// One run, made once, with a copy of the shipped pipeline that names its input (`input:`), so the run
/// command gets no --input: the pipeline file is where production names it.
@Suite("runs carry their pipeline", .serialized)
struct RunCarriesPipelineTests {
    struct Fixture {
        let pipelineDir: String
        let pipeline: String
        let out: String
        var run: String { out + "/2024-12-31" }
    }

    static let fixture: Fixture = {
        let root = TestPaths.temporaryDirectory("carry")
        let pipelineDir = root + "/Pipelines"
        try! FileManager.default.copyItem(atPath: TestPaths.repo("Pipelines"), toPath: pipelineDir)
        let pipeline = pipelineDir + "/shandong.yaml"
        let text = TestPaths.read(pipeline) + "input: \(TestPaths.repo("SampleData"))\n"
        TestPaths.write(text, to: pipelineDir, "shandong.yaml")
        let out = root + "/runs"
        let r = try! CLI.run(["run", "--pipeline", pipeline, "--as-of", "2024-12-31", "--out", out])
        precondition(r.status == 0, "fixture run failed: \(r.stderr)")
        return Fixture(pipelineDir: pipelineDir, pipeline: pipeline, out: out)
    }()

    @Test("a run keeps the pipeline files it used, and its copy has the run's hash")
    func copyInRun() throws {
        let f = Self.fixture
        let copy = f.run + "/pipeline"
        for file in ["pipeline.yaml", "sources.yaml", "regions.csv", "industries.csv", "risk.yaml", "items.csv", "tags/10-registration.yaml", "tasks/general-2025.yaml"] {
            #expect(FileManager.default.fileExists(atPath: copy + "/" + file), "\(file) missing from the run's copy")
        }
        #expect(TestPaths.read(copy + "/risk.yaml") == TestPaths.read(f.pipelineDir + "/risk.yaml"))
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: f.run + "/manifest.json"))) as! [String: Any]
        let hash = manifest["pipeline_hash"] as! String
        let lint = try CLI.run(["tags", "lint", "--pipeline", copy + "/pipeline.yaml"])
        #expect(lint.status == 0, "\(lint.stdout)")
        // The copy is what the readers load by default; a query with it matches the store's hash.
        let q = try CLI.run(["query", "class == 'D'", "--run", f.run, "--format", "json"], in: TestPaths.temporaryDirectory("elsewhere"))
        #expect(q.status == 0, "\(q.stderr)")
        #expect(!hash.isEmpty)
    }

    @Test("editing keep_runs or gates after a run breaks neither query nor sample verify; editing a tag does")
    func operationalEdits() throws {
        let f = Self.fixture
        let sample = TestPaths.temporaryDirectory("carry-sample") + "/s"
        let draw = try CLI.run(["sample", "--run", f.run, "--out", sample])
        #expect(draw.status == 0, "\(draw.stderr)")
        // Edit operational settings in the live pipeline the run was made with.
        let live = TestPaths.read(f.pipeline)
        TestPaths.write(
            PipelineCopy.withoutGates(live) + "keep_runs: 7\ngates:\n  max_reject_rate: 0.5\n  min_rows_vs_previous: 0.9\n", to: f.pipelineDir, "shandong.yaml")
        defer { TestPaths.write(live, to: f.pipelineDir, "shandong.yaml") }
        let lint = try CLI.run(["tags", "lint", "--pipeline", f.pipeline])
        #expect(lint.status == 0, "the edited pipeline must be valid: \(lint.stdout)")
        let verify = try CLI.run(["sample", "verify", sample])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("identical"))
        let q = try CLI.run(["query", "class == 'D'", "--run", f.run, "--pipeline", f.pipeline])
        #expect(q.status == 0, "\(q.stderr)")
        // A change that does change outputs is still caught, and said clearly.
        let tagFile = f.pipelineDir + "/tags/10-registration.yaml"
        let tags = TestPaths.read(tagFile)
        TestPaths.write(tags + "\n# an edit\n", to: f.pipelineDir + "/tags", "10-registration.yaml")
        defer { TestPaths.write(tags, to: f.pipelineDir + "/tags", "10-registration.yaml") }
        let mismatch = try CLI.run(["query", "class == 'D'", "--run", f.run, "--pipeline", f.pipeline])
        #expect(mismatch.status == 2)
        #expect(mismatch.stderr.contains("is not the one"))
        #expect(mismatch.stderr.contains("leave out --pipeline"))
        // Without --pipeline the run's own copy is used, whatever the live files say.
        let own = try CLI.run(["query", "class == 'D'", "--run", f.run])
        #expect(own.status == 0, "\(own.stderr)")
    }

    @Test("with the live pipeline deleted, profile, query, explain, stats and tags stats work from another directory")
    func livePipelineDeleted() throws {
        let f = Self.fixture
        // A copy of the run whose live pipeline is then removed entirely.
        let root = TestPaths.temporaryDirectory("carry-deleted")
        try FileManager.default.copyItem(atPath: f.run, toPath: root + "/run")
        let elsewhere = TestPaths.temporaryDirectory("cwd")
        #expect(!FileManager.default.fileExists(atPath: elsewhere + "/Pipelines"))
        let uscc = "91370102HANDMADE1C"
        for args in [
            ["profile", uscc], ["query", "city == '济南市' and class != 'A'"], ["explain", uscc], ["stats"], ["tags", "stats"],
            ["find", "华丰"],
        ] {
            let r = try CLI.run(args + ["--run", root + "/run"], in: elsewhere)
            #expect(r.status == 0, "\(args): \(r.stderr)")
        }
    }

    @Test("run without --input and without input: in the pipeline is refused; SampleData is never read")
    func noDefaultInput() throws {
        let out = TestPaths.temporaryDirectory("noinput")
        let r = try CLI.run(["run", "--pipeline", TestPaths.repo("Pipelines/shandong.yaml"), "--as-of", "2024-12-31", "--out", out])
        #expect(r.status == 64)
        #expect(r.stderr.contains("no input: pass --input DIR"))
        #expect(!FileManager.default.fileExists(atPath: out + "/2024-12-31"))
    }

    @Test("a backfill is published without moving current, unless --make-current")
    func backfill() throws {
        let f = Self.fixture
        let out = TestPaths.temporaryDirectory("backfill")
        try FileManager.default.copyItem(atPath: f.run, toPath: out + "/2024-12-31")
        try FileManager.default.createSymbolicLink(atPath: out + "/current", withDestinationPath: "2024-12-31")
        let r = try CLI.run(["run", "--pipeline", f.pipeline, "--as-of", "2024-06-30", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("run published: \(out)/2024-06-30 (\(out)/current → \(out)/2024-12-31)"))
        #expect(r.stdout.contains("backfill: as of 2024-06-30, earlier than current's 2024-12-31; current not moved"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/current") == "2024-12-31")
        #expect(FileManager.default.fileExists(atPath: out + "/2024-06-30/manifest.json"))
        let again = try CLI.run(["run", "--pipeline", f.pipeline, "--as-of", "2024-06-30", "--out", out, "--make-current"])
        #expect(again.status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/current") == "2024-06-30")
        #expect(!again.stdout.contains("current not moved"))
    }

    @Test("--version names the commit; a mistyped command gets a suggestion and exit 64")
    func versionAndTypos() throws {
        let v = try CLI.run(["--version"])
        #expect(v.status == 0)
        #expect(v.stdout.hasPrefix("digitag (commit "))
        #expect(!v.stdout.contains("commit )"))
        let typo = try CLI.run(["profle", "91370102HANDMADE1C"])
        #expect(typo.status == 64)
        #expect(typo.stderr.contains("did you mean 'profile'?"))
        let nested = try CLI.run(["tags", "lnt"])
        #expect(nested.status == 64)
        #expect(nested.stderr.contains("did you mean 'lint'?"))
        // A word after a command with a default subcommand is that command's argument, not a typo.
        let sample = try CLI.run(["sample", "--help"])
        #expect(sample.status == 0)
    }

    @Test("tags lint exits 2 (configuration), not 1, on a bad catalog")
    func lintExitCode() throws {
        let dir = TestPaths.temporaryDirectory("lint")
        try FileManager.default.copyItem(atPath: TestPaths.repo("Pipelines"), toPath: dir + "/Pipelines")
        TestPaths.write(
            "dimension: basic\nsensitivity: public\ntags:\n  - id: broken.tag\n    name_zh: 坏\n    name_en: Broken\n    type: boolean\n    expr: reg.no_such_field > 1\n",
            to: dir + "/Pipelines/tags", "99-broken.yaml")
        let r = try CLI.run(["tags", "lint", "--pipeline", dir + "/Pipelines/shandong.yaml"])
        #expect(r.status == 2)
        #expect(r.stdout.contains("99-broken.yaml"))
    }
}
