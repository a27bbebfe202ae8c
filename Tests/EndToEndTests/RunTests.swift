import DataContract
import DigiTagIO
import Foundation
import TestSupport
import Testing

/// The pipeline on SampleData, through the command line.
@Suite(.serialized) struct RunTests {
    static let sampleRun: (dir: String, result: CLI.Result) = try! CLI.runPipeline()

    struct Manifest: Decodable {
        struct Source: Decodable {
            struct File: Decodable {
                var path: String
                var sha256: String
                var rows_read: Int
                var rows_accepted: Int
                var rows_rejected: Int
            }
            var source: String
            var rows_read: Int
            var rows_accepted: Int
            var rows_rejected: Int
            var files: [File]
        }
        var sources: [Source]
        var enterprises: Int
        var tags: Int
        var as_of: String
        var pipeline_hash: String
        var class_counts: [String: Int]
    }

    func manifest(_ dir: String) throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: FileManager.default.contents(atPath: dir + "/manifest.json")!)
    }

    @Test func runSucceedsAndPrintsWhereResultsAre() {
        let r = Self.sampleRun.result
        #expect(r.status == 0, "stderr: \(r.stderr)")
        // Not a terminal: structured log lines on stderr, results on stdout.
        #expect(r.stderr.contains("level=info"))
        #expect(r.stderr.contains("command=run"))
        #expect(r.stderr.contains("msg=\"ingest:"))
        #expect(r.stdout.contains("run published:"))
        #expect(r.stdout.contains("tags per enterprise"))
        #expect(FileManager.default.fileExists(atPath: (Self.sampleRun.dir as NSString).deletingLastPathComponent + "/current"))
    }

    @Test func nothingIsLost() throws {
        let m = try manifest(Self.sampleRun.dir)
        #expect(m.sources.count == 15)
        for s in m.sources {
            #expect(s.rows_read == s.rows_accepted + s.rows_rejected, "\(s.source)")
            #expect(s.rows_read > 0, "\(s.source) has no rows")
            for f in s.files {
                #expect(f.rows_read == f.rows_accepted + f.rows_rejected, "\(f.path)")
                #expect(f.sha256.count == 64)
            }
            // Every rejected row is in the rejects file, one line each (fields may hold newlines: count parsed rows).
            let rejects = try ReferenceTable.load(Self.sampleRun.dir + "/rejects/\(s.source).csv", requiredColumns: ["file", "line", "field", "reason", "raw"])
            #expect(rejects.rows.count == s.rows_rejected, "\(s.source)")
            #expect(rejects.rows.allSatisfy { !$0[0].isEmpty && Int($0[1]) != nil && !$0[3].isEmpty })
        }
        #expect(m.sources.contains { $0.files.contains { $0.path.hasSuffix(".csv.zst") } })
    }

    @Test func outputsHaveHeadersAndOneRowPerEnterprise() throws {
        let m = try manifest(Self.sampleRun.dir)
        let classes = try ReferenceTable.load(Self.sampleRun.dir + "/classes.csv", requiredColumns: ["uscc", "name", "region", "class", "score", "reasons"])
        #expect(classes.rows.count == m.enterprises)
        #expect(classes.rows.map { $0[0] } == classes.rows.map { $0[0] }.sorted())
        #expect(Set(classes.column("class")).isSubset(of: ["A", "B", "C", "D"]))
        #expect(classes.rows.allSatisfy { USCC.isValid($0[0]) })
        let tags = try ReferenceTable.load(Self.sampleRun.dir + "/tags.csv", requiredColumns: ["uscc"])
        #expect(tags.header.count == m.tags + 1)
        #expect(tags.rows.count == m.enterprises)
        #expect(m.tags >= 50)
        // classes.csv starts with a UTF-8 byte-order mark for Excel; tags.csv does not.
        let head = FileManager.default.contents(atPath: Self.sampleRun.dir + "/classes.csv")!.prefix(3)
        #expect(Array(head) == [0xEF, 0xBB, 0xBF])
    }

    @Test func sameBytesWhateverTheThreadsAndShards() throws {
        let a = try CLI.runPipeline(extra: ["--threads", "1", "--shards", "1"])
        let b = try CLI.runPipeline(extra: ["--threads", "2", "--shards", "7"])
        let c = try CLI.runPipeline(extra: ["--threads", "8", "--shards", "256"])
        #expect(a.result.status == 0 && b.result.status == 0 && c.result.status == 0)
        for file in [
            "classes.csv", "tags.csv", "tag_catalog.csv", "rejects/penalties.csv", "rejects/registration.csv", "evidence/records.zst",
            "evidence/index.bin", "evidence/layout.json",
        ] {
            let x = FileManager.default.contents(atPath: a.dir + "/" + file)
            #expect(x != nil)
            #expect(x == FileManager.default.contents(atPath: b.dir + "/" + file), "\(file) differs between 1 and 7 shards")
            #expect(x == FileManager.default.contents(atPath: c.dir + "/" + file), "\(file) differs between 1 and 256 shards")
        }
    }

    @Test func sampleIsReproducibleFromItsSeed() throws {
        let run = Self.sampleRun.dir
        let out1 = TestPaths.temporaryDirectory("s1")
        let out2 = TestPaths.temporaryDirectory("s2")
        let out3 = TestPaths.temporaryDirectory("s3")
        let r1 = try CLI.run(["sample", "--run", run, "--seed", "2025-01-15", "--out", out1])
        try CLI.run(["sample", "--run", run, "--seed", "2025-01-15", "--out", out2])
        try CLI.run(["sample", "--run", run, "--seed", "another seed", "--out", out3])
        #expect(r1.status == 0, "\(r1.stderr)")
        let p1 = TestPaths.read(out1 + "/plan.csv")
        #expect(p1 == TestPaths.read(out2 + "/plan.csv"))
        #expect(p1 != TestPaths.read(out3 + "/plan.csv"))
        #expect(p1.split(separator: "\n").count > 10)
    }

    @Test func explainAgreesWithThePublishedClass() throws {
        let classes = try ReferenceTable.load(Self.sampleRun.dir + "/classes.csv", requiredColumns: ["uscc", "class"])
        // One enterprise of each class.
        for cls in ["A", "B", "C", "D"] {
            guard let row = classes.rows.first(where: { $0[5] == cls }) else {
                Issue.record("SampleData has no enterprise of class \(cls): nothing to explain")
                continue
            }
            let r = try CLI.run(["explain", row[0], "--run", Self.sampleRun.dir])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("Class: \(cls) (as published)"), "\(r.stdout)")
        }
    }
}

/// Failures give the documented exit code and a message naming the place.
@Suite struct FailureTests {
    func copySampleData() throws -> String {
        let dir = TestPaths.temporaryDirectory("input")
        try FileManager.default.removeItem(atPath: dir)
        try FileManager.default.copyItem(atPath: TestPaths.repo("SampleData"), toPath: dir)
        return dir
    }

    @Test func missingColumnExitsWithBadInput() throws {
        let input = try copySampleData()
        let path = input + "/market/penalties.csv"
        let text = TestPaths.read(path)
        let fixed = text.replacingOccurrences(of: "severity", with: "severty")
        try fixed.write(toFile: path, atomically: true, encoding: .utf8)
        let (_, r) = try CLI.runPipeline(input: input)
        #expect(r.status == 3)
        #expect(r.stderr.contains("market/penalties.csv"))
        #expect(r.stderr.contains("missing required column 'severity'"))
    }

    @Test func truncatedZstdExitsWithBadInput() throws {
        let input = try copySampleData()
        let path = input + "/tax/filings.csv.zst"
        let data = FileManager.default.contents(atPath: path)!
        FileManager.default.createFile(atPath: path, contents: data.prefix(data.count / 2))
        let (_, r) = try CLI.runPipeline(input: input)
        #expect(r.status == 3)
        #expect(r.stderr.contains("tax/filings.csv.zst"))
        #expect(r.stderr.contains("truncated") || r.stderr.contains("corrupt"))
    }

    @Test func tagTypoExitsWithConfigurationError() throws {
        let pipelines = TestPaths.temporaryDirectory("pipelines")
        try FileManager.default.removeItem(atPath: pipelines)
        try FileManager.default.copyItem(atPath: TestPaths.repo("Pipelines"), toPath: pipelines)
        let file = pipelines + "/tags/50-tax.yaml"
        let text = TestPaths.read(file).replacingOccurrences(of: "sum(tax_filings.amount within 1y)", with: "sum(tax_filings.amout within 1y)")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let out = TestPaths.temporaryDirectory("runs")
        let r = try CLI.run(["run", "--pipeline", pipelines + "/shandong.yaml", "--input", TestPaths.repo("SampleData"), "--as-of", "2024-12-31", "--out", out])
        #expect(r.status == 2)
        #expect(r.stderr.contains("50-tax.yaml:"))
        #expect(r.stderr.contains("unknown field 'amout' in tax_filings (did you mean 'amount'?)"))
        // Nothing was published.
        #expect(!FileManager.default.fileExists(atPath: out + "/current"))
    }

    @Test func logLevelSilencesInfo() throws {
        let (_, r) = try CLI.runPipeline(extra: ["--log-level", "warning"])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty, "\(r.stderr)")
    }

    @Test func badDateIsAUsageError() throws {
        let r = try CLI.run(["run", "--as-of", "2024-02-30"])
        #expect(r.status == 64)
        // Day is ExpressibleByArgument: the parser names the value and the option, and shows its help (the format).
        #expect(r.stderr.contains("The value '2024-02-30' is invalid for '--as-of <as-of>'"), "\(r.stderr)")
        #expect(r.stderr.contains("YYYY-MM-DD"), "\(r.stderr)")
    }
}

/// Operators and regulators read exit codes: the lock and the verification have their own.
@Suite struct ExitCodeTests {
    @Test func secondRunOnTheSameDirectoryExitsWithRunActive() throws {
        let out = TestPaths.temporaryDirectory("locked")
        // Hold the lock as a running digitag would (flock(1) takes the same kind of lock).
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [out + "/.lock", "sleep", "20"]
        try holder.run()
        defer { holder.terminate() }
        Thread.sleep(forTimeInterval: 0.5)
        let r = try CLI.run(["run", "--pipeline", TestPaths.repo("Pipelines/shandong.yaml"), "--input", TestPaths.repo("SampleData"), "--as-of", "2024-12-31", "--out", out])
        #expect(r.status == 5, "\(r.stderr)")
        #expect(r.stderr.contains("another digitag run is active on \(out)"))
        #expect(!FileManager.default.fileExists(atPath: out + "/current"))
    }

    @Test func verifySaysIdenticalThenCatchesATamperedPlan() throws {
        let run = RunTests.sampleRun.dir
        let out = TestPaths.temporaryDirectory("sample") + "/s"
        let draw = try CLI.run(["sample", "--run", run, "--out", out])
        #expect(draw.status == 0, "\(draw.stderr)")
        let ok = try CLI.run(["sample", "verify", out])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("identical"))
        // Swap the first drawn enterprise for another one of the run.
        let plan = TestPaths.read(out + "/plan.csv")
        var lines = plan.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let classes = try ReferenceTable.load(run + "/classes.csv", requiredColumns: ["uscc"])
        let drawn = Set(lines.dropFirst().compactMap { $0.split(separator: ",").dropFirst().first.map(String.init) })
        let other = try #require(classes.rows.first { !drawn.contains($0[0]) })[0]
        let first = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        lines[1] = ([first[0], other] + first.dropFirst(2)).joined(separator: ",")
        try lines.joined(separator: "\n").write(toFile: out + "/plan.csv", atomically: true, encoding: .utf8)
        let bad = try CLI.run(["sample", "verify", out])
        #expect(bad.status == 7)
        #expect((bad.stdout + bad.stderr).contains(other))
    }

    @Test func failedGateExitsWithItsCodeAndPublishesNothing() throws {
        let file = try PipelineCopy.make(gates: "max_reject_rate: 0.001", label: "gate-pipelines")
        let out = TestPaths.temporaryDirectory("gate-runs")
        let r = try CLI.run(["run", "--pipeline", file, "--input", TestPaths.repo("SampleData"), "--as-of", "2024-12-31", "--out", out])
        #expect(r.status == 4, "\(r.stderr)")
        #expect(r.stderr.contains("data-quality gate failed, nothing published"))
        #expect(r.stderr.contains("max_reject_rate [penalties]"))
        #expect(!FileManager.default.fileExists(atPath: out + "/current"))
    }

    /// `--accept-gate` publishes a failed delivery only on the record: it needs a reason, names a real gate,
    /// and the run says what was accepted, why and by whom (`$USER`).
    @Test func aFailedGateAcceptedOnTheCommandLineIsPublishedOnTheRecord() throws {
        let file = try PipelineCopy.make(gates: "max_reject_rate: 0.001", label: "gate-pipelines")
        let out = TestPaths.temporaryDirectory("gate-runs")
        let run = ["run", "--pipeline", file, "--input", TestPaths.repo("SampleData"), "--as-of", "2024-12-31", "--out", out]
        let refused = try CLI.run(run)
        #expect(refused.status == 4, "\(refused.stderr)")
        // It failed for several sources: the hint names the gate once.
        #expect(refused.stderr.contains("run again with --accept-gate max_reject_rate --reason TEXT"), "\(refused.stderr)")
        #expect(refused.stderr.contains("\(out)/.failed-2024-12-31/report.html"))

        let accepted = try CLI.run(run + ["--accept-gate", "max_reject_rate", "--reason", "hand-made test rows"], environment: ["USER": "ops-li"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        // penalties: 8 of 344 rows rejected is 2.33%, over the 0.10% limit.
        #expect(accepted.stdout.contains("  accepted gate: max_reject_rate [penalties]: 8 of 344 rows rejected (2.33%; limit 0.10%); reason: hand-made test rows"), "\(accepted.stdout)")
        #expect(accepted.stderr.contains("gate max_reject_rate [penalties]: accepted on the record by ops-li: hand-made test rows"))
        let manifest = TestPaths.read(out + "/current/manifest.json")
        #expect(manifest.contains("\"by\" : \"ops-li\""), "\(manifest)")
        #expect(TestPaths.read(out + "/metrics.prom").contains("digitag_gate_accepted{gate=\"max_reject_rate\",source=\"penalties\"} 1\n"))
        #expect(!FileManager.default.fileExists(atPath: out + "/.failed-2024-12-31"))
    }

    @Test func acceptGateWithoutAReasonOrWithAnUnknownNameIsAUsageError() throws {
        let out = TestPaths.temporaryDirectory("gate-usage")
        let run = ["run", "--pipeline", TestPaths.repo("Pipelines/shandong.yaml"), "--input", TestPaths.repo("SampleData"), "--as-of", "2024-12-31", "--out", out]
        let noReason = try CLI.run(run + ["--accept-gate", "enterprise_floor"])
        #expect(noReason.status == 64)
        #expect(noReason.stderr.contains("--accept-gate needs --reason TEXT"), "\(noReason.stderr)")
        let blank = try CLI.run(run + ["--accept-gate", "enterprise_floor", "--reason", "  "])
        #expect(blank.status == 64)
        let typo = try CLI.run(run + ["--accept-gate", "enterprise_flor", "--reason", "x"])
        #expect(typo.status == 64)
        #expect(typo.stderr.contains("unknown gate 'enterprise_flor' (did you mean 'enterprise_floor'?)"), "\(typo.stderr)")
        let reasonAlone = try CLI.run(run + ["--reason", "x"])
        #expect(reasonAlone.status == 64)
        // Nothing ran: no run, no metrics.
        #expect(!FileManager.default.fileExists(atPath: out + "/metrics.prom"))
    }
}
