import DataContract
import DigiTagIO
import Foundation
import TestSupport
import Testing

/// Issue #13, item 6 (records delivered twice) and item 3's per-delivery encoding, through the built binary
/// on copies of SampleData. Expected counts and examples are worked out here from the files themselves.
@Suite struct DuplicateRecordsEndToEndTests {
    struct Manifest: Decodable {
        struct Duplicates: Decodable {
            struct Example: Decodable, Equatable {
                var uscc: String
                var key: [String: String]
            }
            var count: Int
            var examples: [Example]
            var fields: [String]
        }
        struct Source: Decodable {
            struct File: Decodable {
                var path: String
                var encoding: String?
            }
            var source: String
            var files: [File]
        }
        var duplicate_records: [String: Duplicates]
        var sources: [Source]
    }

    static func manifest(_ run: String) throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: try #require(FileManager.default.contents(atPath: run + "/manifest.json")))
    }

    /// Data lines of a CSV file without quoted fields: header, then rows split on commas.
    static func rows(_ path: String) -> (header: String, rows: [[String]]) {
        let lines = TestPaths.read(path).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        return (lines[0], lines.dropFirst().map { $0.components(separatedBy: ",") })
    }

    /// A part re-sends 40 annual reports in reverse order, and penalties.csv repeats one of its own rows at
    /// its end: classes and tags are those of the clean delivery, and every repeat is counted and shown.
    @Test func aResentPartAndARepeatedRowChangeNoClassAndAreReported() throws {
        let input = try HostileDeliveryTests.copyOfSampleData()
        let clean = RunTests.sampleRun.dir
        let published = Set(try ReferenceTable.load(clean + "/classes.csv", requiredColumns: ["uscc"]).column("uscc"))

        // The part: rows 101–140 of annual_reports.csv, last first.
        let reports = Self.rows(input + "/market/annual_reports.csv")
        let resent = Array(reports.rows[100..<140].reversed())
        _ = TestPaths.write(
            reports.header + "\n" + resent.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n", to: input + "/market",
            "annual_reports-resent.csv")
        // A repeat counts when the enterprise is published and the report was filed by the as-of date
        // (filed_on, column 3); later ones are not kept at all.
        let counted = resent.filter { published.contains($0[0]) && $0[2] <= "2024-12-31" }
        #expect(counted.count > 5)
        // Files are read by name: the part (annual_reports-resent.csv) before annual_reports.csv, so the
        // main file's copies are the repeats; examples go by USCC, then by their line in the main file.
        let expectedExamples = counted.sorted { a, b in
            a[0] != b[0] ? a[0] < b[0] : reports.rows.firstIndex(of: a)! < reports.rows.firstIndex(of: b)!
        }.prefix(5).map { Manifest.Duplicates.Example(uscc: $0[0], key: ["report_year": $0[1]]) }

        // penalties.csv: its 12th data row again at the end (a row with no quoted field, of a published enterprise).
        let penaltiesPath = input + "/market/penalties.csv"
        let penalties = Self.rows(penaltiesPath)
        let repeated = try #require(
            penalties.rows.first { $0.count == 6 && published.contains($0[0]) && $0[2] <= "2024-12-31" && $0[1].contains("罚") })
        try (TestPaths.read(penaltiesPath) + repeated.joined(separator: ",") + "\n").write(toFile: penaltiesPath, atomically: true, encoding: .utf8)

        let out = TestPaths.temporaryDirectory("runs")
        let r = try CLI.run([
            "run", "--pipeline", TestPaths.repo("Pipelines/shandong.yaml"), "--input", input, "--as-of", "2024-12-31", "--out", out,
            "--log-level", "warning",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let run = out + "/2024-12-31"
        for file in ["classes.csv", "tags.csv"] {
            #expect(FileManager.default.contents(atPath: run + "/" + file) == FileManager.default.contents(atPath: clean + "/" + file), "\(file)")
        }
        let m = try Self.manifest(run)
        let annual = try #require(m.duplicate_records["annual_reports"])
        #expect(annual.count == counted.count)
        #expect(annual.fields == ["uscc", "report_year"])
        #expect(annual.examples == expectedExamples)
        let p = try #require(m.duplicate_records["penalties"])
        #expect(p.count == 1)
        #expect(p.examples == [Manifest.Duplicates.Example(uscc: repeated[0], key: ["case_no": repeated[1]])])
        for (source, d) in m.duplicate_records where !["annual_reports", "penalties"].contains(source) {
            #expect(d.count == 0, "\(source)")
        }
        #expect(m.duplicate_records["complaints"] == nil)
        #expect(m.duplicate_records["registration"] == nil)

        // Said in the log, on stdout's summary, in the report's banner and in the metrics.
        let sentence = "annual_reports: \(counted.count) records repeat the key (uscc, report_year) of an earlier record, not counted"
        #expect(r.stderr.contains("level=warning") && r.stderr.contains(sentence), "\(r.stderr)")
        #expect(r.stdout.contains("penalties: read 345, accepted 337, rejected 8, 1 duplicate not counted"), "\(r.stdout)")
        let report = TestPaths.read(run + "/report.html")
        #expect(report.contains("class=\"status warn\""))
        #expect(report.contains("<p class=\"warning duplicates\">duplicate records: \(sentence)"))
        #expect(report.contains("2 warnings."))
        let metrics = TestPaths.read(out + "/metrics.prom")
        #expect(metrics.contains("digitag_duplicate_records{source=\"annual_reports\"} \(counted.count)\n"))
        #expect(metrics.contains("digitag_duplicate_records{source=\"penalties\"} 1\n"))
        #expect(metrics.contains("digitag_duplicate_records{source=\"tax_filings\"} 0\n"))
    }

    /// SampleData itself has no repeated record: the clean run reports 0 for every keyed source, and its
    /// banner stays green.
    @Test func sampleDataHasNoDuplicates() throws {
        let m = try Self.manifest(RunTests.sampleRun.dir)
        #expect(m.duplicate_records.count == 13)
        #expect(m.duplicate_records.values.allSatisfy { $0.count == 0 && $0.examples.isEmpty })
        #expect(TestPaths.read(RunTests.sampleRun.dir + "/report.html").contains("class=\"status ok\""))
    }

    /// A key naming a field the source does not have stops the run before anything is read: exit 2, with
    /// the place in sources.yaml.
    @Test func anUnknownKeyFieldIsAConfigurationError() throws {
        let pipeline = try HostileDeliveryTests.pipeline {
            $0.replacingOccurrences(of: "key: [uscc, tax_type, period]", with: "key: [uscc, tax_type, perod]")
        }
        let (_, r) = try HostileDeliveryTests.run(TestPaths.repo("SampleData"), pipeline: pipeline)
        #expect(r.status == 2)
        #expect(r.stderr.contains("sources.yaml:"), "\(r.stderr)")
        #expect(r.stderr.contains("unknown field 'perod' in the key of source 'tax_filings' (did you mean 'period'?)"), "\(r.stderr)")
    }

    /// One night's registration arrives in GB18030 though sources.yaml says UTF-8: `--encoding
    /// registration=gb18030` reads it, the classes are the clean run's, and the manifest says per file what
    /// it was read in. An unknown encoding or source is a usage error (64) naming the choices.
    @Test func perDeliveryEncodingOverride() throws {
        let input = try HostileDeliveryTests.copyOfSampleData()
        for name in ["enterprises.csv", "enterprises-handmade.csv"] {
            let path = input + "/market/" + name
            let text = try #require(String(data: try Data(contentsOf: URL(fileURLWithPath: path)), encoding: .utf8))
            try #require(text.data(using: String.Encoding(rawValue: 0x8000_0632))).write(to: URL(fileURLWithPath: path))
        }
        func run(_ extra: [String]) throws -> (dir: String, result: CLI.Result) {
            let out = TestPaths.temporaryDirectory("runs")
            let r = try CLI.run(
                ["run", "--pipeline", TestPaths.repo("Pipelines/shandong.yaml"), "--input", input, "--as-of", "2024-12-31", "--out", out, "--log-level", "warning"]
                    + extra)
            return (out + "/2024-12-31", r)
        }
        #expect(try run([]).result.status == 3)

        let (dir, r) = try run(["--encoding", "registration=gb18030"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            FileManager.default.contents(atPath: dir + "/classes.csv") == FileManager.default.contents(atPath: RunTests.sampleRun.dir + "/classes.csv"))
        let m = try Self.manifest(dir)
        for s in m.sources {
            for f in s.files { #expect(f.encoding == (s.source == "registration" ? "gb18030" : "utf-8"), "\(f.path)") }
        }
        // The pipeline copied with the run is the declared one: the override belongs to this delivery only.
        #expect(TestPaths.read(dir + "/pipeline/sources.yaml") == TestPaths.read(TestPaths.repo("Pipelines/sources.yaml")))

        let unknownEncoding = try run(["--encoding", "latin1"]).result
        #expect(unknownEncoding.status == 64)
        #expect(unknownEncoding.stderr.contains("unknown encoding 'latin1' (one of utf-8, gb18030, gbk)"), "\(unknownEncoding.stderr)")
        let unknownSource = try run(["--encoding", "registraton=gb18030"]).result
        #expect(unknownSource.status == 64)
        #expect(unknownSource.stderr.contains("unknown source 'registraton' (did you mean registration?)"), "\(unknownSource.stderr)")
        #expect(unknownSource.stderr.contains("the pipeline's sources are registration, annual_reports"), "\(unknownSource.stderr)")
    }
}
