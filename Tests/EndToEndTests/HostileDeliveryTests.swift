import DataContract
import DigiTagIO
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue #13: deliveries that once lost rows or published a wrong run, each reproduced on a copy of
/// SampleData and run through the built binary.
@Suite struct HostileDeliveryTests {
    /// A copy of SampleData to break.
    static func copyOfSampleData() throws -> String {
        let dir = TestPaths.temporaryDirectory("hostile") + "/in"
        try FileManager.default.copyItem(atPath: TestPaths.repo("SampleData"), toPath: dir)
        return dir
    }

    /// A copy of Pipelines/ whose sources.yaml `edit` changes.
    static func pipeline(editingSources edit: (String) -> String) throws -> String {
        let dir = TestPaths.temporaryDirectory("pipeline") + "/Pipelines"
        try FileManager.default.copyItem(atPath: TestPaths.repo("Pipelines"), toPath: dir)
        let sources = dir + "/sources.yaml"
        try edit(TestPaths.read(sources)).write(toFile: sources, atomically: true, encoding: .utf8)
        return dir + "/shandong.yaml"
    }

    static func run(_ input: String, pipeline: String = TestPaths.repo("Pipelines/shandong.yaml"), out: String? = nil) throws -> (
        dir: String, result: CLI.Result
    ) {
        let out = out ?? TestPaths.temporaryDirectory("runs")
        let r = try CLI.run(["run", "--pipeline", pipeline, "--input", input, "--as-of", "2024-12-31", "--out", out, "--log-level", "warning"])
        return (out + "/2024-12-31", r)
    }

    struct Ledger: Decodable {
        struct Source: Decodable {
            var source: String
            var files: [File]
            var rows_read: Int
            var rows_accepted: Int
            var rows_rejected: Int
        }
        struct File: Decodable {
            var path: String
            var rows_read: Int
            var rows_accepted: Int
            var rows_rejected: Int
        }
        var sources: [Source]
    }

    static func ledger(_ run: String) throws -> [String: Ledger.Source] {
        let data = try #require(FileManager.default.contents(atPath: run + "/manifest.json"))
        return Dictionary(uniqueKeysWithValues: try JSONDecoder().decode(Ledger.self, from: data).sources.map { ($0.source, $0) })
    }

    static func rejects(_ run: String, _ source: String) throws -> [[String]] {
        try ReferenceTable.load(run + "/rejects/\(source).csv", requiredColumns: ["file", "line", "field", "reason", "raw"]).rows
    }

    /// Item 1, the reproduction: a quote opened on line 10 of penalties.csv swallowed 313 rows
    /// ("penalties: read 20"). Now line 10 alone is rejected, with its text, and all 344 rows are counted.
    @Test func quoteOpenedMidFileRejectsOneLine() throws {
        let input = try Self.copyOfSampleData()
        let file = input + "/market/penalties.csv"
        var lines = TestPaths.read(file).components(separatedBy: "\n")
        #expect(lines[9].contains(",2024-05-12,"))
        lines[9] = lines[9].replacingOccurrences(of: ",2024-05-12,", with: ",\"2024-05-12,")
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let (run, r) = try Self.run(input)
        #expect(r.status == 0, "\(r.stderr)")
        let p = try #require(try Self.ledger(run)["penalties"])
        #expect(p.rows_read == 333 + 11)
        #expect(p.rows_read == p.rows_accepted + p.rows_rejected)
        let line10 = try Self.rejects(run, "penalties").filter { $0[0].hasSuffix("market/penalties.csv") && $0[1] == "10" }
        #expect(line10.count == 1)
        #expect(line10.first?[3].contains("not closed at the end of its line") == true)
        #expect(line10.first?[4] == lines[9])
    }

    /// Item 2: a lone CR inside a registration name keeps the enterprise (one row, accepted).
    @Test func loneCRInANameKeepsTheEnterprise() throws {
        let input = try Self.copyOfSampleData()
        let file = input + "/market/enterprises.csv"
        var lines = TestPaths.read(file).components(separatedBy: "\n")
        var fields = lines[5].components(separatedBy: ",")
        let uscc = fields[0]
        fields[1] = "\"甲\r乙\""
        lines[5] = fields.joined(separator: ",")
        fields[1] = "丙\r丁"  // unquoted, as some exports write it
        var second = lines[6].components(separatedBy: ",")
        second[1] = "丙\r丁"
        lines[6] = second.joined(separator: ",")
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let (run, r) = try Self.run(input)
        #expect(r.status == 0, "\(r.stderr)")
        let reg = try #require(try Self.ledger(run)["registration"])
        let clean = try #require(try Self.ledger(RunTests.sampleRun.dir)["registration"])
        #expect(reg.rows_read == clean.rows_read)
        #expect(reg.rows_accepted == clean.rows_accepted)
        let classes = try ReferenceTable.load(run + "/classes.csv", requiredColumns: ["uscc", "name"])
        #expect(classes.rows.first { $0[0] == uscc }?[1] == "甲\r乙")
        #expect(classes.rows.first { $0[0] == second[0] }?[1] == "丙\r丁")
    }

    /// Item 3: registration re-encoded as GB18030 (both its files). Declared UTF-8: one file-level error
    /// naming GB18030, exit 3, nothing published. Declared `encoding: gb18030`: the run accepts exactly the
    /// rows of the UTF-8 original and gives the same classes.
    @Test func gb18030RegistrationIsRefusedAsUTF8AndReadWhenDeclared() throws {
        let input = try Self.copyOfSampleData()
        for name in ["enterprises.csv", "enterprises-handmade.csv"] {
            let path = input + "/market/" + name
            let text = try #require(String(data: try Data(contentsOf: URL(fileURLWithPath: path)), encoding: .utf8))
            let gb = try #require(text.data(using: String.Encoding(rawValue: 0x8000_0632)))
            try gb.write(to: URL(fileURLWithPath: path))
        }
        let out = TestPaths.temporaryDirectory("runs")
        let refused = try Self.run(input, out: out)
        #expect(refused.result.status == 3)
        #expect(refused.result.stderr.contains("enterprises"), "\(refused.result.stderr)")
        #expect(refused.result.stderr.contains("not valid UTF-8 at byte"), "\(refused.result.stderr)")
        #expect(refused.result.stderr.contains("it decodes as GB18030"), "\(refused.result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/current"))

        let pipeline = try Self.pipeline {
            $0.replacingOccurrences(of: "    multiline: true", with: "    multiline: true\n    encoding: gb18030")
        }
        let (run, r) = try Self.run(input, pipeline: pipeline)
        #expect(r.status == 0, "\(r.stderr)")
        let reg = try #require(try Self.ledger(run)["registration"])
        let clean = try #require(try Self.ledger(RunTests.sampleRun.dir)["registration"])
        #expect(reg.rows_accepted == clean.rows_accepted)
        #expect(reg.rows_rejected == clean.rows_rejected)
        #expect(
            FileManager.default.contents(atPath: run + "/classes.csv")
                == FileManager.default.contents(atPath: RunTests.sampleRun.dir + "/classes.csv"))
    }

    /// Item 5: without market/penalties.csv the part penalties-handmade.csv once stood in for the whole
    /// source (exit 0). The main file is required: exit 3, naming it and the part found.
    @Test func missingMainFileIsNotHiddenByAPart() throws {
        let input = try Self.copyOfSampleData()
        try FileManager.default.removeItem(atPath: input + "/market/penalties.csv")
        let (_, r) = try Self.run(input)
        #expect(r.status == 3)
        #expect(r.stderr.contains("market/penalties.csv: no file for source penalties"), "\(r.stderr)")
        #expect(r.stderr.contains("found only the part penalties-handmade.csv"), "\(r.stderr)")
    }

    /// Item 6: a file beside its compressed twin, or the same bytes delivered again as a part, once
    /// counted twice. Both stop the run (exit 3) naming both files.
    @Test func duplicateDeliveriesAreRefused() throws {
        let input = try Self.copyOfSampleData()
        let lists = input + "/credit/lists.csv"
        let compressed = try ZstdCompressor.compress(Array(try Data(contentsOf: URL(fileURLWithPath: lists))))
        _ = TestPaths.write(compressed, to: input + "/credit", "lists.csv.zst")
        let pair = try Self.run(input)
        #expect(pair.result.status == 3)
        #expect(pair.result.stderr.contains("credit/lists.csv: delivered twice, plain and compressed, beside"), "\(pair.result.stderr)")
        #expect(pair.result.stderr.contains("credit/lists.csv.zst"))

        try FileManager.default.removeItem(atPath: input + "/credit/lists.csv.zst")
        try FileManager.default.copyItem(atPath: input + "/tax/filings.csv.zst", toPath: input + "/tax/filings-again.csv.zst")
        let twice = try Self.run(input)
        #expect(twice.result.status == 3)
        #expect(twice.result.stderr.contains("is byte for byte the same as"), "\(twice.result.stderr)")
        #expect(twice.result.stderr.contains("tax/filings.csv.zst") && twice.result.stderr.contains("tax/filings-again.csv.zst"))
    }

    /// Item 10 and "Values and rules": a NUL in a name is rejected naming the field; employees = -5 is
    /// rejected; a licence valid until 9999-12-31 is accepted; a record of an enterprise whose registration
    /// row was rejected says where that row is.
    @Test func valuesAndRules() throws {
        let input = try Self.copyOfSampleData()
        func edit(_ name: String, _ body: (inout [[String]]) -> Void) throws {
            let path = input + "/" + name
            var rows = TestPaths.read(path).components(separatedBy: "\n").map { $0.components(separatedBy: ",") }
            body(&rows)
            try rows.map { $0.joined(separator: ",") }.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        var nulUSCC = ""
        var brokenUSCC = ""
        var brokenLine = 0
        let penalised = Set(TestPaths.read(input + "/market/penalties.csv").components(separatedBy: "\n").dropFirst().map {
            String($0.prefix(18))
        })
        try edit("market/enterprises.csv") { rows in
            nulUSCC = rows[3][0]
            rows[3][1] = "甲\0乙"
            brokenLine = rows.indices.first { $0 > 3 && penalised.contains(rows[$0][0]) }!
            brokenUSCC = rows[brokenLine][0]
            rows[brokenLine][6] = "2019-02-30"
        }
        try edit("market/annual_reports.csv") { rows in rows[1][3] = "-5" }
        try edit("market/licences.csv") { rows in rows[1][3] = "9999-12-31" }
        let (run, r) = try Self.run(input)
        #expect(r.status == 0, "\(r.stderr)")
        let reg = try Self.rejects(run, "registration")
        #expect(reg.contains { $0[2] == "name" && $0[3].contains("NUL") && $0[4].hasPrefix(nulUSCC) })
        #expect(try Self.rejects(run, "annual_reports").contains { $0[1] == "2" && $0[2] == "employees" && $0[3].contains("0 or more") })
        #expect(try Self.rejects(run, "licences").allSatisfy { $0[2] != "expires_on" })
        let pen = try Self.rejects(run, "penalties").filter { $0[4].hasPrefix(brokenUSCC) }
        #expect(!pen.isEmpty)
        #expect(pen.allSatisfy { $0[3] == "registration row rejected at \(input)/market/enterprises.csv:\(brokenLine + 1)" }, "\(pen)")
    }

    /// Item 7: a run killed after ingest, then a record file edited in place (same size, mtime put back).
    /// The checkpoint once matched on path, size and mtime and resumed with the stale records; now the
    /// inputs are re-hashed, the run starts over, and its output equals a clean run on the edited input.
    @Test func resumeNoticesASameSizeEditWithItsMtimeRestored() throws {
        let input = try Self.copyOfSampleData()
        let out = TestPaths.temporaryDirectory("runs")
        let args = [
            "run", "--pipeline", TestPaths.repo("Pipelines/shandong.yaml"), "--input", input, "--as-of", "2024-12-31", "--out", out,
            "--shards", "4",
        ]
        let killed = try CLI.run(args, environment: ["DIGITAG_TEST_KILL_AFTER": "ingest"])
        try #require(killed.status == SIGKILL, "not killed after ingest: \(killed.stderr)")

        let file = input + "/market/penalties.csv"
        var st = stat()
        try #require(stat(file, &st) == 0)
        var text = TestPaths.read(file)
        // Same size: a fine of 61600 becomes 91600 (and the classes it feeds change).
        let range = try #require(text.range(of: ",serious,61600"))
        text.replaceSubrange(range, with: ",serious,91600")
        try text.write(toFile: file, atomically: false, encoding: .utf8)
        var times = [st.st_atim, st.st_mtim]
        try #require(utimensat(AT_FDCWD, file, &times, 0) == 0)
        #expect(FileSystemFingerprint.of(file) == "\(st.st_size):\(Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))")

        let again = try CLI.run(args)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!again.stderr.contains("resumed"), "\(again.stderr)")
        let clean = try CLI.run(
            ["run", "--pipeline", TestPaths.repo("Pipelines/shandong.yaml"), "--input", input, "--as-of", "2024-12-31", "--out",
             TestPaths.temporaryDirectory("runs") + "/clean", "--shards", "4"])
        #expect(clean.status == 0)
        let cleanDir = clean.stdout.components(separatedBy: "run published: ").last.map { String($0.prefix { $0 != " " }) } ?? ""
        for name in ["classes.csv", "tags.csv", "rejects/penalties.csv"] {
            let a = FileManager.default.contents(atPath: out + "/2024-12-31/" + name)
            #expect(a != nil && a == FileManager.default.contents(atPath: cleanDir + "/" + name), "\(name)")
        }
        let manifest = TestPaths.read(out + "/2024-12-31/manifest.json")
        #expect(manifest.contains("\"resumed\" : false"), "\(manifest.prefix(400))")
    }
}

/// What `FileSystem.fingerprint` compares: size and mtime in nanoseconds.
enum FileSystemFingerprint {
    static func of(_ path: String) -> String {
        var st = stat()
        guard stat(path, &st) == 0 else { return "missing" }
        return "\(st.st_size):\(Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))"
    }
}
