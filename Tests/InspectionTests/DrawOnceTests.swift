import DigiTagBase
import DigiTagIO
import Foundation
@testable import Inspection
import RunModel
import Sampling
import TestSupport
import Testing

/// Invariant 9: a task is drawn once, under a seed fixed before the data it draws from; a redraw is an explicit,
/// recorded act that keeps the earlier draw. And the public title says nothing of why enterprises were drawn.
@Suite(.serialized) struct DrawOnceTests {
    /// A small task without groups and without a seed (tests add one), with a public title beside its internal name.
    static let taskText = """
        id: T-ONCE
        name_zh: 内部名称：疑似空壳企业专项
        public_title: 2025年度企业公示信息抽查（测试）
        items: [annual_report]
        strata: [class]
        ratios: {A: 1%, B: 2%, C: 5%, D: 10%}

        """

    static func task(seed: String? = "\"once\"") -> String {
        SampleFixture.task(taskText + (seed.map { "seed: \($0)\n" } ?? ""))
    }

    /// Every file under `dir`, relative path → bytes.
    static func snapshot(_ dir: String) -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(atPath: dir)!
        while let f = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + f, isDirectory: &isDir), !isDir.boolValue {
                out[f] = FileManager.default.contents(atPath: dir + "/" + f)
            }
        }
        return out
    }

    static func draw(_ task: String, out: String, seed: String? = nil, redraw: String? = nil, nonce: String? = nil) throws -> SampleRunner.Summary {
        var r = SampleFixture.request(task: task, seed: seed, output: out)
        r.redrawReason = redraw
        r.nonceFile = nonce
        r.drawnAt = "2025-03-01T08:00:00.000Z"
        return try SampleRunner.run(r)
    }

    @Test func aSecondDrawIsRefusedWithItsOwnExitCodeAndChangesNothing() throws {
        let task = Self.task()
        let out = TestPaths.temporaryDirectory("once") + "/s"
        _ = try Self.draw(task, out: out)
        let before = Self.snapshot(out)
        #expect(before.keys.contains("plan.csv") && before.keys.contains("audit.json"))
        for seed in [nil, "another seed"] {
            do {
                _ = try Self.draw(task, out: out, seed: seed)
                Issue.record("a second draw (seed \(seed ?? "recorded")) was not refused")
            } catch let e as AlreadyDrawn {
                #expect(e.exitStatus == .alreadyDrawn && e.exitStatus.rawValue == 9)
                #expect(e.report.joined().contains("--redraw --reason"))
            }
            #expect(Self.snapshot(out) == before, "a refused draw changed the sample folder")
        }
    }

    @Test func aRedrawWithAReasonKeepsDrawOneAndVerifyReplaysBoth() throws {
        let task = Self.task()
        let out = TestPaths.temporaryDirectory("redraw") + "/s"
        let first = try Self.draw(task, out: out)
        let leaving = first.draw.result.selections[0].candidate.uscc
        _ = try SampleReplacer.replace(directory: out, request: ReplacementRequest(uscc: leaving, reason: .deregistered))
        let drawOne = Self.snapshot(out)

        _ = try Self.draw(task, out: out, seed: "a new seed", redraw: "the run of 2024-12-31 was withdrawn")
        let kept = Self.snapshot(out + "/draws/1")
        #expect(kept == drawOne, "draw 1 is kept byte for byte in draws/1")
        let audit = try SampleAudit.read(out + "/audit.json")
        let draws = try #require(audit.draws)
        #expect(draws.map(\.seq) == [1, 2])
        #expect(draws[0].directory == "draws/1" && draws[0].auditSHA256 != nil && draws[0].reason == nil)
        #expect(draws[1].directory == "." && draws[1].reason == "the run of 2024-12-31 was withdrawn")
        #expect(draws.allSatisfy { $0.drawnAt == "2025-03-01T08:00:00.000Z" })
        #expect(audit.replacements.isEmpty, "the new draw starts without replacements")

        let v = try SampleVerifier.verify(directory: out)
        #expect(v.passed, "\(v.changedInputs) \(v.differences) \(v.findings)")
        #expect(v.notes.contains { $0.hasPrefix("draw 1 (draws/1):") && $0.hasSuffix("identical") }, "\(v.notes)")

        // A replacement after the redraw keeps the history.
        let now = try SampleAudit.read(out + "/audit.json")
        _ = try SampleReplacer.replace(
            directory: out, request: ReplacementRequest(uscc: try SampleFixture.rows(out + "/plan.csv").record(0)["uscc"]!, reason: .revoked))
        #expect(try SampleAudit.read(out + "/audit.json").draws == now.draws)

        // The kept draw is verified against its own audit record: a change to it is found.
        let plan = out + "/draws/1/plan.csv"
        let text = TestPaths.read(plan)
        try text.replacingOccurrences(of: ",drawn,", with: ",drawn ,").write(toFile: plan, atomically: true, encoding: .utf8)
        let bad = try SampleVerifier.verify(directory: out)
        #expect(!bad.identical && bad.differences.contains { $0.hasPrefix("draw 1 (draws/1): plan.csv") }, "\(bad.differences)")
        try text.write(toFile: plan, atomically: true, encoding: .utf8)
        // … and so is a kept draw that went missing.
        try FileManager.default.moveItem(atPath: out + "/draws/1", toPath: out + "/elsewhere")
        let missing = try SampleVerifier.verify(directory: out)
        #expect(missing.differences.contains { $0.contains("draw 1 (draws/1) is missing") }, "\(missing.differences)")
    }

    @Test func resultsOfAnEnterpriseNoLongerInThePlanAreADifference() throws {
        let task = Self.task()
        let out = TestPaths.temporaryDirectory("results-plan") + "/s"
        let s = try Self.draw(task, out: out)
        let a = s.draw.result.selections[0].candidate
        let b = s.draw.result.selections[1].candidate
        let row = { (uscc: String, name: String) in
            ["T-ONCE", "2025年度企业公示信息抽查（测试）", uscc, name, "企业公示信息（年度报告）的检查", "市场监管部门", "2025-02-24", "2025-02-26", "未发现问题", "2025-03-26"]
        }
        _ = try SampleOutputs.writeCSV(out + "/results.csv", header: ResultsImporter.publicHeader, rows: [row(a.uscc, a.name), row(b.uscc, b.name)])
        #expect(try SampleVerifier.verify(directory: out).passed)

        // b leaves the plan after its result was imported: results.csv now lists an enterprise not to be inspected.
        _ = try SampleReplacer.replace(directory: out, request: ReplacementRequest(uscc: b.uscc, reason: .deregistered))
        let v = try SampleVerifier.verify(directory: out)
        #expect(!v.passed)
        #expect(v.differences == ["results.csv: \(b.uscc) has results but was replaced (deregistered): it is not in the current plan"], "\(v.differences)")

        // An enterprise never drawn, too.
        _ = try SampleOutputs.writeCSV(out + "/results.csv", header: ResultsImporter.publicHeader, rows: [row("91370000000000000X", "某公司")])
        #expect(try SampleVerifier.verify(directory: out).differences.contains { $0.contains("91370000000000000X has results but was not drawn") })
    }

    // MARK: the seed, committed in advance

    static func committedTask(at time: Date, nonce: [UInt8] = Array(0..<32)) throws -> (task: String, nonceFile: String, outcome: SeedCommitter.Outcome) {
        let task = Self.task(seed: nil)
        let nonceFile = FileSystem.directoryOf(task) + "/private/T-ONCE.nonce"
        let o = try SeedCommitter.commit(taskPath: task, nonce: nonce, at: time, nonceFile: nonceFile)
        return (task, nonceFile, o)
    }

    @Test func aCommittedSeedIsRevealedCheckedAndVerifiedAsFixedBeforeTheRun() throws {
        let (task, nonceFile, o) = try Self.committedTask(at: Date(timeIntervalSince1970: 1_000_000_000))
        let nonce = Array(0..<32).map { String(format: "%02x", $0) }.joined()
        #expect(TestPaths.read(nonceFile) == nonce + "\n")
        #expect(o.commitment == HexDigest.sha256(nonce))
        #expect(o.committedAt == "2001-09-09T01:46:40.000Z")
        let text = TestPaths.read(task)
        #expect(text.hasSuffix("seed: {commitment: \(o.commitment), committed_at: \"2001-09-09T01:46:40.000Z\"}\n"))
        #expect(!text.contains(nonce), "the task file does not hold the nonce")
        let mode = try FileManager.default.attributesOfItem(atPath: nonceFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // A second commitment is refused: it would let the seed be chosen again.
        #expect(throws: Diagnostic.self) { try SeedCommitter.commit(taskPath: task, nonce: Array(repeating: 7, count: 32), at: Date()) }

        let out = TestPaths.temporaryDirectory("committed") + "/s"
        let s = try Self.draw(task, out: out, nonce: nonceFile)
        #expect(s.draw.seed == nonce && s.draw.commitment?.commitment == o.commitment)
        let audit = try SampleAudit.read(out + "/audit.json")
        #expect(audit.seed == nonce && audit.seedCommitment?.commitment == o.commitment)
        #expect(audit.seedCommitment?.committedAt == o.committedAt && audit.run.publishedAt != nil)
        // The publish time is the manifest's published_at, not a file time that a copy can move.
        #expect(audit.run.publishedAt == (try Manifest.read(SampleFixture.run + "/manifest.json")).publishedAt)
        #expect(audit.run.publishedAtSource == "published_at in \(SampleFixture.run)/manifest.json")

        // Verify needs no nonce file: the audit record reveals it.
        try FileManager.default.removeItem(atPath: nonceFile)
        let v = try SampleVerifier.verify(directory: out)
        #expect(v.passed, "\(v.differences) \(v.findings)")
        #expect(v.notes.contains { $0.hasPrefix("seed: committed in advance") }, "\(v.notes)")

        // --seed cannot replace a committed seed.
        #expect { try SampleRunner.draw(SampleFixture.request(task: task, seed: "chosen")) } throws: { "\($0)".contains("committed in advance") }
        // A second draw of the committed task is refused as a second draw, whatever its seed.
        #expect(throws: AlreadyDrawn.self) { try Self.draw(task, out: out, seed: "chosen") }
    }

    /// A run published before the manifest recorded `published_at` still has a publish time: the manifest's
    /// modification time, said to be one.
    @Test func aRunWithoutPublishedAtFallsBackToTheManifestsModificationTime() throws {
        let run = SampleFixture.copyOfRun()
        let path = run + "/manifest.json"
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        #expect(json.removeValue(forKey: "published_at") != nil)
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        let mtime = Date(timeIntervalSince1970: 1_735_700_000)  // 2025-01-01T02:53:20Z
        try FileManager.default.setAttributes([.modificationDate: mtime], ofItemAtPath: path)
        let t = try #require(SampleHistory.publishTime(run: run))
        #expect(t.time == "2025-01-01T02:53:20.000Z")
        #expect(t.source.contains("modification time of \(path)"))
    }

    @Test func aWrongNonceIsRefusedAndNothingIsWritten() throws {
        let (task, nonceFile, _) = try Self.committedTask(at: Date(timeIntervalSince1970: 1_000_000_000))
        try "00112233445566778899aabbccddeeff\n".write(toFile: nonceFile, atomically: true, encoding: .utf8)
        let out = TestPaths.temporaryDirectory("wrong-nonce") + "/s"
        #expect { try Self.draw(task, out: out, nonce: nonceFile) } throws: { e in
            (e as? any DigitagError)?.exitStatus == .configuration && "\(e)".contains("does not match the task's commitment")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        // A tampered audit record (another seed) does not verify either.
        let good = TestPaths.temporaryDirectory("nonce-ok") + "/s"
        let (task2, nonceFile2, _) = try Self.committedTask(at: Date(timeIntervalSince1970: 1_000_000_000), nonce: Array(repeating: 1, count: 32))
        _ = try Self.draw(task2, out: good, nonce: nonceFile2)
        let path = good + "/audit.json"
        let revealed = Array(repeating: "01", count: 32).joined()
        try TestPaths.read(path).replacingOccurrences(of: "\"seed\" : \"\(revealed)\"", with: "\"seed\" : \"\(revealed.dropLast())0\"")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let v = try SampleVerifier.verify(directory: good)
        #expect(v.differences.contains { $0.contains("does not match the task's commitment") }, "\(v.differences)")
    }

    @Test func aSeedCommittedAfterTheRunWasPublishedIsAFindingThatFailsVerify() throws {
        let (task, nonceFile, _) = try Self.committedTask(at: Date().addingTimeInterval(3600))
        let out = TestPaths.temporaryDirectory("late") + "/s"
        _ = try Self.draw(task, out: out, nonce: nonceFile)
        let v = try SampleVerifier.verify(directory: out)
        #expect(v.identical && !v.passed)
        #expect(v.findings.count == 1 && v.findings[0].contains("after run") && v.findings[0].contains("knowing the data"), "\(v.findings)")
        // A sample that does not pass is not built upon.
        #expect(throws: SampleNotVerified.self) {
            try SampleReplacer.replace(directory: out, request: ReplacementRequest(uscc: try SampleFixture.rows(out + "/plan.csv").record(0)["uscc"]!, reason: .revoked))
        }
    }

    @Test func aPlainSeedStillDrawsAndVerifySaysItWasNotCommitted() throws {
        let out = TestPaths.temporaryDirectory("plain") + "/s"
        _ = try Self.draw(Self.task(), out: out)
        let v = try SampleVerifier.verify(directory: out)
        #expect(v.passed && v.notes.contains { $0.hasPrefix("seed: not committed in advance") }, "\(v.notes)")
    }

    // MARK: the public title

    @Test func theNoticeShowsThePublicTitleNotTheInternalName() throws {
        let out = TestPaths.temporaryDirectory("title") + "/s"
        _ = try Self.draw(Self.task(), out: out)
        let notice = try SampleFixture.rows(out + "/notice.csv")
        #expect(!notice.rows.isEmpty)
        #expect(Set(notice.column("任务名称")) == ["2025年度企业公示信息抽查（测试）"])
        #expect(!TestPaths.read(out + "/notice.csv").contains("疑似"))
        #expect(try SampleAudit.read(out + "/audit.json").task.publicTitle == "2025年度企业公示信息抽查（测试）")
    }

    static func titleProblems(_ yaml: String) throws -> [Diagnostic] {
        SampleLint.titleProblems(try SamplingTask.load(text: yaml, file: "t.yaml"))
    }

    @Test func lintRefusesATitleThatRevealsWhyAndAcceptsANeutralOne() throws {
        // The shipped task's old name, as the title (no public_title: name_zh is published).
        let shell = try Self.titleProblems("id: T\nname_zh: 2025年度疑似空壳企业定向抽查\nitems: [annual_report]\n")
        #expect(shell.count == 1)
        let message = shell.first?.description ?? ""
        for w in ["疑似", "空壳", "定向", "(name_zh)", "t.yaml:2:10", "public_title"] { #expect(message.contains(w), "\(message)") }
        for title in ["2025年度高风险企业抽查", "失信企业抽查", "经营异常企业检查"] {
            #expect(!(try Self.titleProblems("id: T\npublic_title: \(title)\nitems: [annual_report]\n")).isEmpty, "\(title)")
        }
        // A piece of a targeted group's label or id.
        let groups = """
            floor: 1%
            groups:
              - id: capital-no-tax
                name_zh: 注册资本一千万元以上但近一年未申报纳税
                where: targeted.capital_ge1000_no_tax.1y
                ratio: 100%
              - id: general
                rest: true
                ratio: 2%

            """
        let label = try Self.titleProblems("id: T\npublic_title: 2025年度注册资本抽查\nitems: [annual_report]\n" + groups)
        #expect(label.first?.description.contains("注册资本 (from group 'capital-no-tax')") == true, "\(label)")
        let id = try Self.titleProblems("id: T\npublic_title: 2025 capital inspection\nitems: [annual_report]\n" + groups)
        #expect(id.first?.description.contains("capital (from group 'capital-no-tax')") == true, "\(id)")
        // Neutral titles pass, a group's rest and the task's own wording included.
        for title in ["2025年度市场监管领域双随机一公开抽查（企业公示信息·第二批）", "2025年度市场监管与税务部门联合双随机抽查", "2025年度企业公示信息和许可情况抽查"] {
            #expect(try Self.titleProblems("id: T\npublic_title: \(title)\nitems: [annual_report]\n" + groups).isEmpty, "\(title)")
        }
        // Every shipped task is neutral.
        for file in SampleLint.shippedTasks(pipeline: SampleFixture.pipeline) {
            #expect(SampleLint.titleProblems(try SamplingTask.load(path: file)).isEmpty, "\(file)")
        }
    }

    // MARK: through the command line

    @Test func theCommandLineRefusesASecondDrawWithExit9AndRedrawsOnlyWithAReason() throws {
        let out = TestPaths.temporaryDirectory("cli-once") + "/s"
        let task = Self.task()
        let base = ["sample", "--run", SampleFixture.run, "--pipeline", SampleFixture.pipeline, "--task", task, "--out", out]
        let first = try ProcessRunner.run(ProcessRunner.digitag, base, in: TestPaths.repositoryRoot)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("public title: 2025年度企业公示信息抽查（测试）"))
        let before = Self.snapshot(out)
        let second = try ProcessRunner.run(ProcessRunner.digitag, base + ["--seed", "other"], in: TestPaths.repositoryRoot)
        #expect(second.status == 9, "\(second.stderr)")
        #expect(second.stderr.contains("was drawn already into \(out)") && second.stderr.contains("--redraw --reason"), "\(second.stderr)")
        #expect(Self.snapshot(out) == before)
        let noReason = try ProcessRunner.run(ProcessRunner.digitag, base + ["--redraw"], in: TestPaths.repositoryRoot)
        #expect(noReason.status == 64 && noReason.stderr.contains("--redraw needs --reason"), "\(noReason.stderr)")
        let redraw = try ProcessRunner.run(ProcessRunner.digitag, base + ["--redraw", "--reason", "wrong task file"], in: TestPaths.repositoryRoot)
        #expect(redraw.status == 0 && redraw.stdout.contains("redraw: draw 2, because: wrong task file; draw 1 is kept in \(out)/draws/1"), "\(redraw.stdout)\(redraw.stderr)")
        let verify = try ProcessRunner.run(ProcessRunner.digitag, ["sample", "verify", out], in: TestPaths.repositoryRoot)
        #expect(verify.status == 0 && verify.stdout.contains("draw 1 (draws/1):") && verify.stdout.contains("seed: not committed in advance"), "\(verify.stdout)")
    }
}
