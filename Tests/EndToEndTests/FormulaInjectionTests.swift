import DataContract
import DigiTagIO
import Foundation
import TestSupport
import Testing

/// An enterprise registered under a name such as `=HYPERLINK(…)` must not become a live formula in any file a
/// person opens in Excel: classes.csv, the sample's plan, notice and ledger, and `query --csv`. tags.csv (for
/// tools) carries no names; the names stay exactly as registered in the profile store.
@Suite struct FormulaInjectionTests {
    static let hostileNames = ["=1+1", "+1-2", "-2+3", "@SUM(A1:A9)", "=HYPERLINK(\"http://evil.example\",\"点此\")", "\t=1+1"]

    /// SampleData with every registered enterprise renamed to one of the hostile names.
    static func hostileInput() throws -> String {
        let input = TestPaths.temporaryDirectory("hostile-names")
        try FileManager.default.removeItem(atPath: input)
        try FileManager.default.copyItem(atPath: TestPaths.repo("SampleData"), toPath: input)
        let path = input + "/market/enterprises.csv"
        var lines = TestPaths.read(path).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var renamed = 0
        for i in 1..<lines.count where !lines[i].isEmpty && !lines[i].contains("\"") {
            var fields = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let name = hostileNames[i % hostileNames.count]
            // Quote the name as a CSV writer would (the hyperlink holds quotes and a comma).
            fields[1] = name.contains(",") || name.contains("\"") || name.hasPrefix("\t")
                ? "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : name
            lines[i] = fields.joined(separator: ",")
            renamed += 1
        }
        #expect(renamed > 1900)
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return input
    }

    /// Every field of every row of a CSV file, read with the project's own reader (quotes, BOM).
    static func cells(_ path: String) throws -> [String] {
        let table = try ReferenceTable.load(path, requiredColumns: [])
        return table.rows.flatMap { $0 }
    }

    @Test("hostile names are neutralised in classes.csv, plan.csv, notice.csv, ledger.csv and query --csv")
    func everyFileForPeople() throws {
        let input = try Self.hostileInput()
        let (run, result) = try CLI.runPipeline(input: input)
        try #require(result.status == 0, "\(result.stderr)")
        let samples = TestPaths.temporaryDirectory("hostile-samples")
        let sample = try CLI.run(["sample", "--run", run, "--out", samples + "/s"])
        try #require(sample.status == 0, "\(sample.stderr)")
        let query = try CLI.run(["query", "true", "--run", run, "--list", "--columns", "name,class", "--csv", samples + "/q.csv"])
        try #require(query.status == 0, "\(query.stderr)")

        for file in [run + "/classes.csv", samples + "/s/plan.csv", samples + "/s/notice.csv", samples + "/q.csv"] {
            let cells = try Self.cells(file)
            let live = cells.filter { c in ["=", "+", "@", "\t", "\r"].contains(where: { c.hasPrefix($0) }) || (c.hasPrefix("-") && Double(c) == nil) }
            #expect(live.isEmpty, "\(file): \(live.prefix(5))")
            #expect(cells.contains("'=1+1"), "\(file) should show the name as text")
        }
        // The store keeps the name as registered: only files for people add the apostrophe.
        let profile = try CLI.run(["query", "true", "--run", run, "--list", "--columns", "name", "--format", "json"])
        #expect(profile.stdout.contains("\"=1+1\""))
    }
}
